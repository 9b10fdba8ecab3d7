using Microsoft.Extensions.Options;
using Npgsql;
using Sentiment.Storage;

namespace Sentiment.Worker.Storage;

/// <summary>
/// Merges the pending list of the text search index (<see cref="SearchIndex"/>) into the index every
/// <see cref="WorkerOptions.SearchIndexFlushInterval"/>. Each INSERT only appends its rows' trigrams to that list;
/// merging many rows at once here costs less than merging within an INSERT, and keeps it out of the batch's time.
/// </summary>
/// <remarks>
/// Every replica runs it; PostgreSQL merges one list at a time, so a second replica's call waits and then finds little
/// left. Autovacuum merges the list too, and an INSERT does when the list passes its limit, so a flusher that stops
/// (or lacks the right to merge) only makes inserts and searches slower, never wrong.
/// </remarks>
public sealed class SearchIndexFlusher(
    NpgsqlDataSource dataSource,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<SearchIndexFlusher> logger) : BackgroundService
{
    /// <summary>Merges once.</summary>
    /// <returns>The pages removed from the pending list.</returns>
    public async Task<long> FlushAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SearchIndex.FlushSql);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SearchIndexFlushInterval, time);
        var failing = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await FlushAsync(stoppingToken);
                    failing = false;
                }
                catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
                {
                    // PostgreSQL away, the schema not migrated yet, or no right to merge: inserts merge it meanwhile.
                    // Logged once per run of failures, not every interval.
                    if (!failing)
                    {
                        logger.LogWarning("Merging the pending list of {Index} failed, and is left to inserts and autovacuum until it works: {Error}",
                            SearchIndex.Name, exception.Message);
                        failing = true;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
