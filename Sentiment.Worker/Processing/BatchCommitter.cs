using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Sentiment.Contracts.Alerts;
using Sentiment.Contracts.Messaging;
using Sentiment.Storage;
using Sentiment.Streams;
using Sentiment.Worker.Alerts;
using Sentiment.Worker.Publishing;
using Sentiment.Worker.Storage;
using Sentiment.Worker.Telemetry;
using StackExchange.Redis;

namespace Sentiment.Worker.Processing;

/// <summary>
/// The pipeline's last stage: stores a classified batch in one round trip, publishes the results, raises alerts, and
/// only then acknowledges, one batch at a time and in the order they were read, so an entry is acknowledged only once
/// its row is committed and its alerts are raised. A batch that fails to store for a reason other than an outage is
/// stored again one message at a time, so each failure is pinned on its message; a failed message stays pending and is
/// retried after <see cref="ConsumerGroupOptions.ClaimMinIdle"/>, and after <see cref="WorkerOptions.MaxDeliveries"/>
/// deliveries it goes to the dead-letter stream with its error.
/// </summary>
public sealed class BatchCommitter(
    StreamConsumer consumer,
    FeedbackClassifier classifier,
    ResultWriter writer,
    AlertRaiser alerts,
    ResultPublisher results,
    DependencyRetry retry,
    WorkerTelemetry telemetry,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<BatchCommitter> logger)
{
    private readonly WorkerOptions _options = options.Value;

    public async Task RunAsync(ChannelReader<ClassifiedBatch> batches, CancellationToken cancellationToken)
    {
        await foreach (var batch in batches.ReadAllAsync(cancellationToken))
        {
            await CommitAsync(batch, cancellationToken);
        }
    }

    public async Task CommitAsync(ClassifiedBatch batch, CancellationToken cancellationToken)
    {
        using var trace = batch.Trace;
        using var current = trace.Enter();
        var failures = batch.Failures;

        var started = time.GetTimestamp();
        var stored = await StoreAsync(batch, failures, cancellationToken);
        telemetry.RecordStage(PipelineStage.Store, time.GetElapsedTime(started));
        if (stored.Count > 0)
        {
            await results.PublishAsync(stored); // Best effort: logs and counts a failure, never throws.
            // Before the acknowledgement: a worker that dies here leaves the batch pending, and whoever takes it
            // over evaluates it again without counting any message twice (see AlertScripts).
            started = time.GetTimestamp();
            await RaiseAlertsAsync(stored, trace, cancellationToken);
            telemetry.RecordStage(PipelineStage.Alerts, time.GetElapsedTime(started));

            started = time.GetTimestamp();
            RedisValue[] ids = [.. stored.Select(message => (RedisValue)message.Received.StreamId)];
            await retry.ExecuteAsync(Dependency.Redis, _ => consumer.AcknowledgeAsync(ids), cancellationToken);
            telemetry.RecordStage(PipelineStage.Acknowledge, time.GetElapsedTime(started));
            telemetry.RecordProcessed(stored);
        }

        if (failures.Count > 0)
        {
            await HandleFailuresAsync(failures, batch.Deliveries, trace, cancellationToken);
        }
    }

    /// <returns>The messages that are now in the database, with their classification.</returns>
    private async Task<List<StoredResult>> StoreAsync(ClassifiedBatch batch, List<FailedMessage> failures, CancellationToken cancellationToken)
    {
        var messages = batch.Messages;
        if (messages.Count == 0)
        {
            return [];
        }

        if (messages.Count > 1)
        {
            try
            {
                return await WriteAsync(messages, batch, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Outages never get here (DependencyRetry waits them out), so something in this batch is bad.
                logger.LogWarning(
                    "A batch of {Count} messages failed ({Error}); storing them one by one to find the failing ones",
                    messages.Count, DependencyFailure.Describe(ex));
            }
        }

        var stored = new List<StoredResult>(messages.Count);
        foreach (var message in messages)
        {
            try
            {
                stored.AddRange(await WriteAsync([message], batch, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add(new FailedMessage(message.Received.Entry, DependencyFailure.Describe(ex), message.Received.Message.Source));
            }
        }

        return stored;
    }

    private async Task<List<StoredResult>> WriteAsync(List<ClassifiedMessage> messages, ClassifiedBatch batch, CancellationToken cancellationToken)
    {
        var inserted = await batch.Trace.RunStageAsync("store results", [.. messages.Select(message => message.Received)], stage =>
        {
            stage.SetTag("db.system.name", "postgresql");
            stage.SetTag("db.collection.name", SentimentDbContext.ResultsTable);
            stage.SetTag("db.operation.name", "INSERT");
            stage.SetTag("db.operation.batch.size", messages.Count);
            return retry.ExecuteAsync(
                Dependency.Postgres,
                token => writer.WriteAsync(messages, classifier.ModelVersion, batch.ProcessedAt, token),
                cancellationToken);
        });
        var storedAt = time.GetUtcNow();
        if (inserted < messages.Count)
        {
            logger.LogInformation("{Count} messages were stored before (redelivered or re-posted); skipped", messages.Count - inserted);
        }

        return [.. messages.Select(message => new StoredResult(message.Received, message.Prediction, message.Topic, batch.ProcessedAt, storedAt))];
    }
    private Task<IReadOnlyList<Alert>> RaiseAlertsAsync(List<StoredResult> stored, BatchTrace trace, CancellationToken cancellationToken) =>
        trace.RunStageAsync("evaluate alerts", [.. stored.Select(message => message.Received)], async stage =>
        {
            // Each candidate carries its message's span of this step, so an alert it triggers continues its trace.
            var candidates = stored
                .Select((message, i) => AlertCandidate.From(message.Received.Message, message.Prediction) with { TraceContext = stage.ContextOf(i) })
                .ToList();
            var raised = await alerts.RaiseAsync(candidates, cancellationToken);
            stage.SetTag("sentiment.alerts.raised", raised.Count);
            for (var i = 0; i < stored.Count; i++)
            {
                var id = stored[i].Received.Message.Id;
                stage.SetMessageTag(i, "sentiment.alerts.raised", raised.Count(alert => alert.MessageIds[0] == id));
            }

            return raised;
        });

    private async Task HandleFailuresAsync(
        List<FailedMessage> failures, IReadOnlyDictionary<string, int>? deliveries, BatchTrace trace, CancellationToken cancellationToken)
    {
        foreach (var failure in failures)
        {
            telemetry.RecordFailed(failure.Source);
            trace.Fail(failure.Entry.Id!, failure.Error);
        }

        deliveries ??= await retry.ExecuteAsync(
            Dependency.Redis, _ => consumer.GetDeliveryCountsAsync(failures.Select(failure => failure.Entry.Id)), cancellationToken);

        var deadLetters = new List<(FailedMessage, int)>();
        foreach (var failure in failures)
        {
            if (!deliveries.TryGetValue(failure.Entry.Id!, out var count))
            {
                continue; // No longer pending: another consumer took it over and finished it.
            }

            if (count >= _options.MaxDeliveries)
            {
                logger.LogError(
                    "Entry {StreamId} failed delivery {Delivery} of {MaxDeliveries}; moving it to {DeadLetter}: {Error}",
                    failure.Entry.Id, count, _options.MaxDeliveries, StreamNames.DeadLetter, failure.Error);
                deadLetters.Add((failure, count));
            }
            else
            {
                logger.LogWarning(
                    "Entry {StreamId} failed delivery {Delivery} of {MaxDeliveries} and stays pending, to be retried after {MinIdle}: {Error}",
                    failure.Entry.Id, count, _options.MaxDeliveries, _options.ClaimMinIdle, failure.Error);
            }
        }

        if (deadLetters.Count > 0)
        {
            await retry.ExecuteAsync(Dependency.Redis, _ => consumer.DeadLetterAsync(deadLetters), cancellationToken);
            foreach (var (failure, _) in deadLetters)
            {
                telemetry.RecordDeadLettered(failure.Source);
                trace.DeadLettered(failure.Entry.Id!);
            }
        }
    }
}
