using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Sentiment.Streams;
using StackExchange.Redis;

namespace Sentiment.Worker.Processing;

/// <summary>
/// Feeds batches to the processor: first this consumer's own pending entries, left by its previous run under the same
/// name (<see cref="ConsumerGroupOptions.ConsumerName"/>); then, at start and every
/// <see cref="ConsumerGroupOptions.ClaimInterval"/>, the entries other consumers left pending too long; otherwise new
/// entries. A full channel makes it wait (back-pressure).
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
            await ResumeOwnPendingAsync(batches, cancellationToken);
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

    /// <summary>
    /// What a replica restarted under its name held when it stopped (killed mid-batch) is its own again at once:
    /// nobody else may take it before <see cref="ConsumerGroupOptions.ClaimMinIdle"/>, and XREADGROUP &gt; never
    /// returns it. Read as redeliveries, so one that keeps failing reaches the dead-letter stream.
    /// </summary>
    private async Task ResumeOwnPendingAsync(ChannelWriter<MessageBatch> batches, CancellationToken cancellationToken)
    {
        RedisValue after = "0-0";
        var resumed = 0;
        while (true)
        {
            var start = after;
            var (entries, last) = await retry.ExecuteAsync(Dependency.Redis, _ => consumer.ReadOwnPendingAsync(start), cancellationToken);
            if (last.IsNull)
            {
                break;
            }

            after = last;
            if (entries.Length > 0)
            {
                resumed += entries.Length;
                await batches.WriteAsync(new MessageBatch(entries, Claimed: true), cancellationToken);
            }
        }

        if (resumed > 0)
        {
            logger.LogInformation("Consumer {Consumer} resumed {Count} entries it held when it last stopped", consumer.ConsumerName, resumed);
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
