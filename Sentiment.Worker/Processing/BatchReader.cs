using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Sentiment.Streams;
using StackExchange.Redis;

namespace Sentiment.Worker.Processing;

/// <summary>
/// Feeds batches to the processor: first, and every <see cref="ConsumerGroupOptions.ClaimInterval"/>, the entries other
/// consumers left pending too long; otherwise new entries. A full channel makes it wait (back-pressure).
/// </summary>
public sealed class BatchReader(
    StreamConsumer consumer,
    DependencyRetry retry,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<BatchReader> logger)
{
    private readonly WorkerOptions _options = options.Value;

    public async Task RunAsync(ChannelWriter<MessageBatch> batches, CancellationToken cancellationToken)
    {
        try
        {
            var nextClaim = time.GetUtcNow();
            while (!cancellationToken.IsCancellationRequested)
            {
                if (time.GetUtcNow() >= nextClaim)
                {
                    await ClaimIdleAsync(batches, cancellationToken);
                    nextClaim = time.GetUtcNow() + _options.ClaimInterval;
                }

                var entries = await retry.ExecuteAsync(Dependency.Redis, _ => consumer.ReadNewAsync(), cancellationToken);
                if (entries.Length == 0)
                {
                    await Task.Delay(_options.PollInterval, time, cancellationToken);
                    continue;
                }

                await batches.WriteAsync(new MessageBatch(entries, Claimed: false), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping. Entries read but not handed over stay pending and are taken over by another consumer.
        }
        finally
        {
            batches.TryComplete();
        }
    }

    private async Task ClaimIdleAsync(ChannelWriter<MessageBatch> batches, CancellationToken cancellationToken)
    {
        RedisValue cursor = "0-0";
        do
        {
            var start = cursor;
            var (entries, next) = await retry.ExecuteAsync(Dependency.Redis, _ => consumer.ClaimIdleAsync(start), cancellationToken);
            if (entries.Length > 0)
            {
                logger.LogInformation(
                    "Took over {Count} entries pending for more than {MinIdle}", entries.Length, _options.ClaimMinIdle);
                await batches.WriteAsync(new MessageBatch(entries, Claimed: true), cancellationToken);
            }

            cursor = next;
        }
        while (cursor != "0-0");
    }
}
