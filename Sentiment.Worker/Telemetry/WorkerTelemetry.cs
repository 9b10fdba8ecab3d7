using System.Diagnostics;
using System.Diagnostics.Metrics;
using Sentiment.Contracts;
using Sentiment.Contracts.Alerts;
using Sentiment.Contracts.Messaging;
using Sentiment.Streams.Tracing;
using Sentiment.Worker.Storage;

namespace Sentiment.Worker.Telemetry;

/// <summary>
/// The worker's ActivitySource and Meter, named after the service (its assembly) so ServiceDefaults exports them.
/// Every span and metric name is listed in docs/telemetry.md.
/// </summary>
public sealed class WorkerTelemetry
{
    public const string Name = "Sentiment.Worker";

    public static readonly ActivitySource ActivitySource = new(Name);

    // Seconds. The SDK's default buckets are meant for milliseconds (0 to 10,000), useless for values near 0.05.
    private static readonly double[] EndToEndBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];
    private static readonly double[] InferenceBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly string[] StageNames = ["classify", "store", "alerts", "acknowledge"];
    private static readonly int[] BatchSizeBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];

    private readonly Counter<long> _processed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _deadLettered;
    private readonly Histogram<double> _endToEnd;
    private readonly Histogram<double> _inference;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _stage;
    private readonly Counter<long> _alerts;
    private readonly Counter<long> _trimmed;
    private readonly KeyValuePair<string, object?>[] _groupTags =
    [
        new("messaging.destination.name", StreamNames.Input),
        new("messaging.consumer.group.name", StreamNames.ConsumerGroup),
    ];

    // The last XINFO GROUPS sample (ConsumerGroupMonitor); null until the first one, or while Redis cannot be asked.
    private volatile ConsumerGroupSample? _group;

    public WorkerTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _processed = meter.CreateCounter<long>(
            "sentiment.worker.messages.processed", "{message}",
            "Messages classified, stored and acknowledged, by source and label (a redelivered message counts again).");
        _failed = meter.CreateCounter<long>(
            "sentiment.worker.messages.failed", "{message}", "Deliveries that failed because of the message, by source where it could be read.");
        _deadLettered = meter.CreateCounter<long>(
            "sentiment.worker.messages.dead_lettered", "{message}", "Messages moved to sentiment:dead-letter, by source where it could be read.");
        _endToEnd = meter.CreateHistogram(
            "sentiment.worker.end_to_end.duration", "s",
            "From ingest accepting a message to its row being committed (the commit's return to the worker less ingested_at), by source and label.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = EndToEndBuckets });
        _inference = meter.CreateHistogram(
            "sentiment.worker.inference.duration", "s", "One model run over a batch: tokenising and ONNX Runtime.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = InferenceBuckets });
        _batchSize = meter.CreateHistogram(
            "sentiment.worker.inference.batch_size", "{message}", "Messages classified together in one model run.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchSizeBuckets });
        _stage = meter.CreateHistogram(
            "sentiment.worker.stage.duration", "s",
            "The time one batch spent in a stage of the pipeline, by stage: classify (parse, model, topics), store (the INSERT and its commit), alerts (rules and publishing), acknowledge (XACK).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = InferenceBuckets });
        meter.CreateObservableGauge(
            "sentiment.worker.consumer.lag", ObserveLag, "{message}",
            "Entries of sentiment:input not yet delivered to the consumer group, sampled every Worker:ConsumerMetricsInterval.");
        meter.CreateObservableGauge(
            "sentiment.worker.consumer.pending", ObservePending, "{message}",
            "Entries delivered to the consumer group but not yet acknowledged (XINFO GROUPS pending), sampled every Worker:ConsumerMetricsInterval.");
        meter.CreateObservableGauge(
            "sentiment.worker.stream.length", ObserveLength, "{message}",
            "Entries in sentiment:input (XLEN), acknowledged ones kept for Worker:Retention included, sampled every Worker:ConsumerMetricsInterval.");
        _trimmed = meter.CreateCounter<long>(
            "sentiment.worker.stream.trimmed", "{message}",
            "Entries removed from sentiment:input: acknowledged by every consumer group and older than Worker:Retention.");
        _alerts = meter.CreateCounter<long>(
            "sentiment.worker.alerts.fired", "{alert}", "Alerts raised, counted once each when appended to sentiment:alerts, by type and severity.");
    }

    public void RecordProcessed(IReadOnlyList<StoredResult> stored)
    {
        foreach (var result in stored)
        {
            var message = result.Received.Message;
            var source = new KeyValuePair<string, object?>("sentiment.source", message.Source);
            var label = new KeyValuePair<string, object?>("sentiment.label", SentimentLabels.Name(result.Prediction.Label));
            _processed.Add(1, source, label);
            // Until the commit returned, not processed_at (stamped before the INSERT, which left the write out);
            // across two hosts' clocks, so never below 0.
            _endToEnd.Record(Math.Max(0, (result.StoredAt - message.IngestedAt).TotalSeconds), source, label);
        }
    }

    public void RecordFailed(string? source) => _failed.Add(1, SourceTag(source));

    public void RecordDeadLettered(string? source) => _deadLettered.Add(1, SourceTag(source));

    public void RecordInference(int batchSize, TimeSpan duration, string modelVersion)
    {
        var model = new KeyValuePair<string, object?>("sentiment.model.version", modelVersion);
        _inference.Record(duration.TotalSeconds, model);
        _batchSize.Record(batchSize, model);
    }

    public void RecordStage(PipelineStage stage, TimeSpan duration) =>
        _stage.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("sentiment.worker.stage", StageNames[(int)stage]));

    /// <summary>
    /// Counts an alert as it is appended to sentiment:alerts, which happens once per alert whoever publishes it;
    /// called only by <see cref="Alerts.AlertPublisher"/>.
    /// </summary>
    public void RecordAlertFired(Alert alert) => _alerts.Add(
        1,
        new KeyValuePair<string, object?>("sentiment.alert.type", alert.Type),
        new KeyValuePair<string, object?>("sentiment.alert.severity", alert.Severity));

    public void RecordTrimmed(long count) => _trimmed.Add(count, _groupTags[0]);

    /// <summary>The stream and group as last read, or null when they could not be read (the gauges then report nothing).</summary>
    public void ReportConsumerGroup(ConsumerGroupSample? sample) => _group = sample;

    private IEnumerable<Measurement<long>> ObserveLag()
    {
        // Unknown when Redis cannot tell, e.g. after entries were deleted from the middle of the stream.
        if (_group is { Group.Undelivered: { } lag })
        {
            yield return new Measurement<long>(lag, _groupTags);
        }
    }

    private IEnumerable<Measurement<long>> ObservePending()
    {
        if (_group is { Group: { } group })
        {
            yield return new Measurement<long>(group.Pending, _groupTags);
        }
    }

    private IEnumerable<Measurement<long>> ObserveLength()
    {
        if (_group is { } sample)
        {
            yield return new Measurement<long>(sample.StreamLength, _groupTags[0]);
        }
    }

    // Sources are bounded by ingest's validation ([a-z0-9_-], 50 characters); an entry that could not be read has none.
    private static KeyValuePair<string, object?> SourceTag(string? source) => new("sentiment.source", source ?? "unknown");

    /// <summary>
    /// Starts the producer span of one alert on <c>sentiment:alerts</c>, as a child of <paramref name="parent"/> (the
    /// triggering message's alert evaluation), and makes it current until the scope is disposed: the alert's stream
    /// entry and its notifications carry this span's context.
    /// </summary>
    public static SpanScope StartAlertSend(Alert alert, ActivityContext parent)
    {
        var scope = SpanScope.Start(ActivitySource, $"send {StreamNames.Alerts}", ActivityKind.Producer, parent);
        if (scope.Activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag("messaging.system", "redis");
            activity.SetTag("messaging.destination.name", StreamNames.Alerts);
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.operation.name", "send");
            activity.SetTag("sentiment.alert.id", alert.Id.ToString());
            activity.SetTag("sentiment.alert.type", alert.Type);
            activity.SetTag("sentiment.alert.severity", alert.Severity);
            activity.SetTag("sentiment.message.id", alert.MessageIds[0]);
        }

        return scope;
    }
}

/// <summary>What the monitor read of <c>sentiment:input</c> and its processors' group.</summary>
/// <param name="StreamLength">Entries in the stream; 0 before it exists.</param>
/// <param name="Group">The group's backlog; null while the group does not exist.</param>
public sealed record ConsumerGroupSample(long StreamLength, StreamBacklog? Group);

/// <summary>The stages a batch goes through in the worker, timed by <c>sentiment.worker.stage.duration</c>.</summary>
public enum PipelineStage
{
    Classify,
    Store,
    Alerts,
    Acknowledge,
}
