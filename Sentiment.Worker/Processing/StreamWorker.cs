using System.Threading.Channels;
using Sentiment.Core.Messaging;
using Sentiment.Worker.Storage;
using StackExchange.Redis;

namespace Sentiment.Worker.Processing;

/// <summary>
/// The worker's main loop: migrate, join the consumer group, then read batches into a bounded channel and process
/// them one at a time. One batch is read ahead while the current one is classified and stored.
/// </summary>
public sealed class StreamWorker(
    DatabaseMigrator migrator,
    StreamConsumer consumer,
    BatchReader reader,
    BatchProcessor processor,
    DependencyRetry retry,
    ProcessingHealth health,
    ILogger<StreamWorker> logger) : BackgroundService
{
    // Cancelled only when the host's shutdown timeout runs out: stopping first stops the reading, and the
    // batches already read are finished (stored and acknowledged) rather than dropped.
    private readonly CancellationTokenSource _abort = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migrator.MigrateAsync(stoppingToken);
        await retry.ExecuteAsync(Dependency.Redis, _ => consumer.EnsureGroupAsync(), stoppingToken);
        health.ReportStarted();
        logger.LogInformation(
            "Consumer {Consumer} is reading {Stream} in group {Group}", consumer.ConsumerName, StreamNames.Input, StreamNames.ConsumerGroup);

        var batches = Channel.CreateBounded<MessageBatch>(new BoundedChannelOptions(1)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var reading = reader.RunAsync(batches.Writer, stoppingToken);
        await processor.RunAsync(batches.Reader, _abort.Token);
        await reading;
        await LeaveGroupAsync();
    }

    /// <summary>On a clean stop, every batch read is acknowledged: the consumer's name is no longer needed.</summary>
    private async Task LeaveGroupAsync()
    {
        try
        {
            if (await consumer.LeaveGroupIfIdleAsync())
            {
                logger.LogInformation("Consumer {Consumer} left group {Group}", consumer.ConsumerName, StreamNames.ConsumerGroup);
            }
            else
            {
                logger.LogWarning(
                    "Consumer {Consumer} stays in group {Group}: it still holds pending entries, which another replica will take over",
                    consumer.ConsumerName, StreamNames.ConsumerGroup);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // Best effort: a name left behind owns nothing and costs only a line in XINFO CONSUMERS.
            logger.LogWarning(exception, "Consumer {Consumer} could not leave group {Group}", consumer.ConsumerName, StreamNames.ConsumerGroup);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(_abort.Cancel))
        {
            await base.StopAsync(cancellationToken);
        }
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }
}
