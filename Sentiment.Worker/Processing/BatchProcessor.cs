using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Sentiment.Contracts;
using Sentiment.Contracts.Alerts;
using Sentiment.Contracts.Messaging;
using Sentiment.Model.Topics;
using Sentiment.Storage;
using Sentiment.Streams;
using Sentiment.Worker.Alerts;
using Sentiment.Worker.Publishing;
using Sentiment.Worker.Storage;
using Sentiment.Worker.Telemetry;
using StackExchange.Redis;

namespace Sentiment.Worker.Processing;

/// <summary>
/// Handles one batch end to end: parse each entry, classify, store in one round trip, raise alerts, and only then acknowledge.
/// A batch that fails for a reason other than an outage is retried one message at a time, so each failure is pinned
/// on its message; a failed message stays pending and is retried after <see cref="ConsumerGroupOptions.ClaimMinIdle"/>,
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
        using var trace = BatchTrace.Start(batch, consumer.ConsumerName);

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
            var count = 0;
            if (deliveries is not null && !deliveries.TryGetValue(entry.Id!, out count))
            {
                continue; // Acknowledged meanwhile by the consumer it was taken from.
            }

            var parsed = FeedbackStreamEntry.TryParse(entry, out var message, out var error);
            trace.AddMessage(entry, message);
            if (count > _options.MaxDeliveries)
            {
                failures.Add(new FailedMessage(entry, $"Delivered {count} times without completing; a worker stopped while processing it.", message?.Source));
            }
            else if (parsed)
            {
                received.Add(new ReceivedMessage(entry, message!));
            }
            else
            {
                failures.Add(new FailedMessage(entry, error!));
            }
        }

        var stored = await StoreAsync(received, failures, trace, cancellationToken);
        if (stored.Count > 0)
        {
            await results.PublishAsync(stored); // Best effort: logs and counts a failure, never throws.
            // Before the acknowledgement: a worker that dies here leaves the batch pending, and whoever takes it
            // over evaluates it again without counting any message twice (see AlertScripts).
            await RaiseAlertsAsync(stored, trace, cancellationToken);
            RedisValue[] ids = [.. stored.Select(message => (RedisValue)message.Received.StreamId)];
            await retry.ExecuteAsync(Dependency.Redis, _ => consumer.AcknowledgeAsync(ids), cancellationToken);
            telemetry.RecordProcessed(stored);
        }

        if (failures.Count > 0)
        {
            await HandleFailuresAsync(failures, deliveries, trace, cancellationToken);
        }
    }

    /// <returns>The messages that are now in the database, with their classification.</returns>
    private async Task<List<StoredResult>> StoreAsync(
        List<ReceivedMessage> messages, List<FailedMessage> failures, BatchTrace trace, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return [];
        }

        if (messages.Count > 1)
        {
            try
            {
                return await ClassifyAndWriteAsync(messages, trace, cancellationToken);
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
                stored.AddRange(await ClassifyAndWriteAsync([message], trace, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add(new FailedMessage(message.Entry, DependencyFailure.Describe(ex), message.Message.Source));
            }
        }

        return stored;
    }

    private async Task<List<StoredResult>> ClassifyAndWriteAsync(List<ReceivedMessage> messages, BatchTrace trace, CancellationToken cancellationToken)
    {
        var texts = new string[messages.Count];
        for (var i = 0; i < texts.Length; i++)
        {
            using var step = trace.StartStep("preprocess", messages[i]);
            texts[i] = FeedbackClassifier.Preprocess(messages[i]);
        }

        var predictions = await trace.RunStageAsync("inference", messages, stage =>
        {
            stage.SetTag("sentiment.model.version", classifier.ModelVersion);
            stage.SetTag("sentiment.inference.batch_size", messages.Count);
            var started = time.GetTimestamp();
            var predictions = classifier.Classify(texts);
            telemetry.RecordInference(messages.Count, time.GetElapsedTime(started), classifier.ModelVersion);
            for (var i = 0; i < predictions.Length; i++)
            {
                trace.MessageSpan(messages[i].StreamId)?.SetTag("sentiment.label", SentimentLabels.Name(predictions[i].Label));
            }

            return Task.FromResult(predictions);
        });

        var topics = new TopicAssignment[messages.Count];
        for (var i = 0; i < topics.Length; i++)
        {
            using var step = trace.StartStep("tag topics", messages[i]);
            topics[i] = classifier.Tag(messages[i]);
            step.Activity?.SetTag("sentiment.topic", topics[i].Topic);
        }

        var processedAt = time.GetUtcNow();
        var inserted = await trace.RunStageAsync("store results", messages, stage =>
        {
            stage.SetTag("db.system.name", "postgresql");
            stage.SetTag("db.collection.name", SentimentDbContext.ResultsTable);
            stage.SetTag("db.operation.name", "INSERT");
            stage.SetTag("db.operation.batch.size", messages.Count);
            return retry.ExecuteAsync(
                Dependency.Postgres,
                token => writer.WriteAsync(messages, predictions, topics, classifier.ModelVersion, processedAt, token),
                cancellationToken);
        });
        var storedAt = time.GetUtcNow();
        if (inserted < messages.Count)
        {
            logger.LogInformation("{Count} messages were stored before (redelivered or re-posted); skipped", messages.Count - inserted);
        }

        return [.. messages.Select((message, i) => new StoredResult(message, predictions[i], topics[i], processedAt, storedAt))];
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
