using System.Threading.Channels;
using Npgsql;
using Sentiment.Contracts.Messaging;
using Sentiment.Storage;
using Sentiment.Streams;

namespace Sentiment.Worker.Processing;

/// <summary>
/// The worker's main loop: wait for the migrated schema, join the consumer group, then read batches into a bounded channel and process
/// them one at a time. One batch is read ahead while the current one is classified and stored.
/// </summary>
public sealed class StreamWorker(
    NpgsqlDataSource database,
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

    private static readonly TimeSpan SchemaPollInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WaitForSchemaAsync(stoppingToken);
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
        // On a clean stop every batch read is acknowledged, so the consumer's name is no longer needed.
        await consumer.LeaveGroupOnStopAsync();
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

    /// <summary>
    /// Reading before the migrations resource has run would fail every message on the missing tables and dead-letter
    /// them; instead the worker waits, unready, until the schema is current.
    /// </summary>
    private async Task WaitForSchemaAsync(CancellationToken stoppingToken)
    {
        var waitingLogged = false;
        while (true)
        {
            var pending = await retry.ExecuteAsync(
                Dependency.Postgres, token => ResultsSchema.PendingMigrationsAsync(database, token), stoppingToken);
            if (pending.Count == 0)
            {
                return;
            }

            if (!waitingLogged)
            {
                logger.LogWarning("The results database lacks {Count} migration(s); waiting for the migrations resource", pending.Count);
                waitingLogged = true;
            }

            await Task.Delay(SchemaPollInterval, stoppingToken);
        }
    }
}
