using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Sentiment.Core.Messaging;
using Sentiment.Core.Model;
using Sentiment.Worker.Alerts;
using Sentiment.Worker.Publishing;
using Sentiment.Worker.Storage;
using Sentiment.Worker.Telemetry;
using StackExchange.Redis;

namespace Sentiment.Worker.Processing;

/// <summary>
/// Handles one batch end to end: parse each entry, classify, store in one round trip, raise alerts, and only then acknowledge.
/// A batch that fails for a reason other than an outage is retried one message at a time, so each failure is pinned
/// on its message; a failed message stays pending and is retried after <see cref="WorkerOptions.ClaimMinIdle"/>,
/// and after <see cref="WorkerOptions.MaxDeliveries"/> deliveries it goes to the dead-letter stream with its error.
/// </summary>
public sealed class BatchProcessor(
    StreamConsumer consumer,
    FeedbackClassifier classifier,
    ResultWriter writer,
    AlertRaiser alerts,
    ResultPublisher results,
    DependencyRetry retry,
    WorkerTelemetry telemetry,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<BatchProcessor> logger)
{
    private readonly WorkerOptions _options = options.Value;

    public async Task RunAsync(ChannelReader<MessageBatch> batches, CancellationToken cancellationToken)
    {
        await foreach (var batch in batches.ReadAllAsync(cancellationToken))
        {
            await ProcessAsync(batch, cancellationToken);
        }
    }

    public async Task ProcessAsync(MessageBatch batch, CancellationToken cancellationToken)
    {
        using var activity = WorkerTelemetry.ActivitySource.StartActivity($"process {StreamNames.Input}", ActivityKind.Consumer);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.destination.name", StreamNames.Input);
        activity?.SetTag("messaging.consumer.group.name", StreamNames.ConsumerGroup);
        activity?.SetTag("messaging.batch.message_count", batch.Entries.Length);

        // Taken-over entries may have been delivered many times already: one that reached the limit without ever
        // completing (its worker died while processing it) is not tried again, so it cannot crash-loop the workers.
        IReadOnlyDictionary<string, int>? deliveries = null;
        if (batch.Claimed)
        {
            deliveries = await retry.ExecuteAsync(
                Dependency.Redis, _ => consumer.GetDeliveryCountsAsync(batch.Entries.Select(entry => entry.Id)), cancellationToken);
        }

        var received = new List<ReceivedMessage>(batch.Entries.Length);
        var failures = new List<FailedMessage>();
        foreach (var entry in batch.Entries)
        {
            if (deliveries is not null)
            {
                if (!deliveries.TryGetValue(entry.Id!, out var count))
                {
                    continue; // Acknowledged meanwhile by the consumer it was taken from.
                }

                if (count > _options.MaxDeliveries)
                {
                    failures.Add(new FailedMessage(entry, $"Delivered {count} times without completing; a worker stopped while processing it."));
                    continue;
                }
            }

            if (FeedbackStreamEntry.TryParse(entry, out var message, out var error))
            {
                received.Add(new ReceivedMessage(entry, message));
            }
            else
            {
                failures.Add(new FailedMessage(entry, error));
            }
        }

        var stored = await StoreAsync(received, failures, cancellationToken);
        if (stored.Count > 0)
        {
            await results.PublishAsync(stored); // Best effort: logs and counts a failure, never throws.
            // Before the acknowledgement: a worker that dies here leaves the batch pending, and whoever takes it
            // over evaluates it again without counting any message twice (see AlertScripts).
            await alerts.RaiseAsync([.. stored.Select(s => AlertCandidate.From(s.Received.Message, s.Prediction))], cancellationToken);
            RedisValue[] ids = [.. stored.Select(message => (RedisValue)message.Received.StreamId)];
            await retry.ExecuteAsync(Dependency.Redis, _ => consumer.AcknowledgeAsync(ids), cancellationToken);
            telemetry.RecordProcessed(stored.Count);
        }

        if (failures.Count > 0)
        {
            activity?.SetStatus(ActivityStatusCode.Error, $"{failures.Count} messages failed");
            await HandleFailuresAsync(failures, deliveries, cancellationToken);
        }
    }

    /// <returns>The messages that are now in the database, with their classification.</returns>
    private async Task<List<StoredResult>> StoreAsync(List<ReceivedMessage> messages, List<FailedMessage> failures, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return [];
        }

        if (messages.Count > 1)
        {
            try
            {
                return await ClassifyAndWriteAsync(messages, cancellationToken);
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
                stored.AddRange(await ClassifyAndWriteAsync([message], cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add(new FailedMessage(message.Entry, DependencyFailure.Describe(ex)));
            }
        }

        return stored;
    }

    private async Task<List<StoredResult>> ClassifyAndWriteAsync(List<ReceivedMessage> messages, CancellationToken cancellationToken)
    {
        var predictions = classifier.Classify(messages);
        var topics = classifier.Tag(messages);
        var processedAt = time.GetUtcNow();
        var inserted = await retry.ExecuteAsync(
            Dependency.Postgres,
            token => writer.WriteAsync(messages, predictions, topics, classifier.ModelVersion, processedAt, token),
            cancellationToken);
        if (inserted < messages.Count)
        {
            logger.LogInformation("{Count} messages were stored before (redelivered or re-posted); skipped", messages.Count - inserted);
        }

        return [.. messages.Select((message, i) => new StoredResult(message, predictions[i], topics[i], processedAt))];
    }

    private async Task HandleFailuresAsync(List<FailedMessage> failures, IReadOnlyDictionary<string, int>? deliveries, CancellationToken cancellationToken)
    {
        telemetry.RecordFailed(failures.Count);
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
            telemetry.RecordDeadLettered(deadLetters.Count);
        }
    }
}
