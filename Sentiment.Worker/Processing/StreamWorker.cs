using System.Threading.Channels;
using Npgsql;
using Sentiment.Contracts.Messaging;
using Sentiment.Storage;
using Sentiment.Streams;

namespace Sentiment.Worker.Processing;

/// <summary>
/// The worker's main loop: wait for the migrated schema, join the consumer group, then run the pipeline. Three stages
/// run side by side, joined by channels that hold one batch each: <see cref="BatchReader"/> reads the next batch while
/// <see cref="BatchClassifier"/> runs the model on one and <see cref="BatchCommitter"/> stores, alerts and acknowledges
/// the one before. So the model, PostgreSQL and Redis work at the same time, and at most five batches are in the worker
/// at once (the reader's and the classifier's own while they wait to hand theirs over), however long the backlog.
/// </summary>
public sealed class StreamWorker(
    NpgsqlDataSource database,
    StreamConsumer consumer,
    BatchReader reader,
    BatchClassifier classifier,
    BatchCommitter committer,
    DependencyRetry retry,
    ProcessingHealth health,
    ILogger<StreamWorker> logger) : BackgroundService
{
    // Cancelled only when the host's shutdown timeout runs out: stopping first stops the reading, and the
    // batches already read are finished (stored and acknowledged) rather than dropped.
    private readonly CancellationTokenSource _abort = new();

    private static readonly TimeSpan SchemaPollInterval = TimeSpan.FromSeconds(1);

    private static readonly BoundedChannelOptions OneBatch = new(1)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WaitForSchemaAsync(stoppingToken);
        await retry.ExecuteAsync(Dependency.Redis, _ => consumer.EnsureGroupAsync(), stoppingToken);
        health.ReportStarted();
        logger.LogInformation(
            "Consumer {Consumer} is reading {Stream} in group {Group}", consumer.ConsumerName, StreamNames.Input, StreamNames.ConsumerGroup);

        var read = Channel.CreateBounded<MessageBatch>(OneBatch);
        var classified = Channel.CreateBounded<ClassifiedBatch>(OneBatch);
        using var stages = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, stages.Token);

        // Stopping stops the reading; each stage then finishes what it holds and completes its channel, so the batches
        // already read are stored and acknowledged rather than dropped. The last stage ends when all before it have.
        var reading = reader.RunAsync(read.Writer, stopReading.Token);
        var classifying = classifier.RunAsync(read.Reader, classified.Writer, stages.Token);
        try
        {
            await committer.RunAsync(classified.Reader, stages.Token);
        }
        catch
        {
            // The stages before may be waiting to hand over a batch nobody will take; what they hold stays pending.
            await stages.CancelAsync();
            await Task.WhenAll(reading, classifying).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        await classifying;
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
