using System.Diagnostics;
using System.Diagnostics.Metrics;
using Sentiment.Contracts.Messaging;

namespace Sentiment.Ingest.Telemetry;

/// <summary>
/// The ingest service's ActivitySource and Meter, named after the service (its assembly) so ServiceDefaults exports
/// them. Span and metric names: docs/telemetry.md.
/// </summary>
public sealed class IngestTelemetry
{
    public const string Name = "Sentiment.Ingest";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Counter<long> _ingested;
    private readonly Counter<long> _rejected;

    // The last backlog reading (BacklogMonitor); -1 before the first one and while Redis cannot be read.
    private long _backlog = -1;

    public IngestTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _ingested = meter.CreateCounter<long>(
            "sentiment.ingest.messages", "{message}", "Messages accepted and published to sentiment:input, by source.");
        _rejected = meter.CreateCounter<long>(
            "sentiment.ingest.rejected_requests", "{request}", "Requests refused, by HTTP status code.");
        meter.CreateObservableGauge(
            "sentiment.ingest.backlog", ObserveBacklog, "{message}",
            "Entries of sentiment:input the processors have not acknowledged (undelivered and pending), as last read every Ingest:BacklogSampleInterval; above Ingest:MaxBacklog requests get 503.");
    }

    /// <summary>
    /// The producer span of one request's messages (OpenTelemetry messaging conventions, operation <c>send</c>);
    /// its context travels in each message's <c>traceparent</c>.
    /// </summary>
    public static Activity? StartSend(IReadOnlyList<FeedbackMessage> messages)
    {
        var activity = ActivitySource.StartActivity($"send {StreamNames.Input}", ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "redis");
            activity.SetTag("messaging.destination.name", StreamNames.Input);
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.operation.name", "send");
            if (messages.Count == 1)
            {
                activity.SetTag("sentiment.message.id", messages[0].Id);
                activity.SetTag("sentiment.source", messages[0].Source);
            }
            else
            {
                activity.SetTag("messaging.batch.message_count", messages.Count);
            }
        }

        return activity;
    }

    public void RecordPublished(IReadOnlyList<FeedbackMessage> messages)
    {
        foreach (var group in messages.GroupBy(message => message.Source))
        {
            _ingested.Add(group.Count(), new KeyValuePair<string, object?>("sentiment.source", group.Key));
        }
    }

    /// <summary>The backlog as last read, or null when it could not be read (the gauge then reports nothing).</summary>
    public void ReportBacklog(long? backlog) => Interlocked.Exchange(ref _backlog, backlog ?? -1);

    private IEnumerable<Measurement<long>> ObserveBacklog()
    {
        if (Interlocked.Read(ref _backlog) is var backlog and >= 0)
        {
            yield return new Measurement<long>(backlog, new KeyValuePair<string, object?>("messaging.destination.name", StreamNames.Input));
        }
    }

    public void RecordRejected(int statusCode) =>
        _rejected.Add(1, new KeyValuePair<string, object?>("http.response.status_code", statusCode));
}
