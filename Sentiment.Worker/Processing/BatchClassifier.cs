using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Sentiment.Contracts;
using Sentiment.Contracts.Messaging;
using Sentiment.Streams;
using Sentiment.Worker.Telemetry;

namespace Sentiment.Worker.Processing;

/// <summary>
/// The pipeline's middle stage: parses each entry of a batch read, then preprocesses, classifies (one model run) and
/// tags the topics of those that parsed, and hands the result to <see cref="BatchCommitter"/>. It runs on its own
/// thread of work, so the model classifies the next batch while the previous one is being stored.
/// A batch the model fails on is classified again one message at a time, so the failure is pinned on its message.
/// </summary>
public sealed class BatchClassifier(
    StreamConsumer consumer,
    FeedbackClassifier classifier,
    DependencyRetry retry,
    WorkerTelemetry telemetry,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<BatchClassifier> logger)
{
    private readonly WorkerOptions _options = options.Value;

    /// <summary>Classifies every batch read until <paramref name="batches"/> completes, then completes <paramref name="classified"/>.</summary>
    public async Task RunAsync(ChannelReader<MessageBatch> batches, ChannelWriter<ClassifiedBatch> classified, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            await foreach (var batch in batches.ReadAllAsync(cancellationToken))
            {
                var result = await ClassifyAsync(batch, cancellationToken);
                await classified.WriteAsync(result, cancellationToken);
            }
        }
        catch (Exception exception)
        {
            failure = exception;
            throw;
        }
        finally
        {
            classified.TryComplete(failure is OperationCanceledException ? null : failure);
        }
    }

    public async Task<ClassifiedBatch> ClassifyAsync(MessageBatch batch, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var trace = BatchTrace.Start(batch, consumer.ConsumerName);
        try
        {
            using var current = trace.Enter();

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

            var messages = await ClassifyEachAsync(received, failures, trace);
            telemetry.RecordStage(PipelineStage.Classify, time.GetElapsedTime(started));
            return new ClassifiedBatch(trace, messages, failures, deliveries, time.GetUtcNow());
        }
        catch
        {
            trace.Dispose();
            throw;
        }
    }

    private async Task<List<ClassifiedMessage>> ClassifyEachAsync(List<ReceivedMessage> messages, List<FailedMessage> failures, BatchTrace trace)
    {
        if (messages.Count == 0)
        {
            return [];
        }

        if (messages.Count > 1)
        {
            try
            {
                return [.. await RunModelAsync(messages, trace)];
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(
                    "The model failed on a batch of {Count} messages ({Error}); classifying them one by one to find the failing ones",
                    messages.Count, DependencyFailure.Describe(ex));
            }
        }

        var classified = new List<ClassifiedMessage>(messages.Count);
        foreach (var message in messages)
        {
            try
            {
                classified.AddRange(await RunModelAsync([message], trace));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add(new FailedMessage(message.Entry, DependencyFailure.Describe(ex), message.Message.Source));
            }
        }

        return classified;
    }

    private async Task<ClassifiedMessage[]> RunModelAsync(List<ReceivedMessage> messages, BatchTrace trace)
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

        var classified = new ClassifiedMessage[messages.Count];
        for (var i = 0; i < classified.Length; i++)
        {
            using var step = trace.StartStep("tag topics", messages[i]);
            var topic = classifier.Tag(messages[i]);
            step.Activity?.SetTag("sentiment.topic", topic.Topic);
            classified[i] = new ClassifiedMessage(messages[i], predictions[i], topic);
        }

        return classified;
    }
}
