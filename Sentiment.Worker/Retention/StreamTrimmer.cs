using Microsoft.Extensions.Options;
using Sentiment.Contracts.Messaging;
using Sentiment.Worker.Telemetry;
using StackExchange.Redis;

namespace Sentiment.Worker.Retention;

/// <summary>
/// Removes from <c>sentiment:input</c> only what every consumer group has acknowledged and what is older than
/// <see cref="WorkerOptions.Retention"/>, every <see cref="WorkerOptions.TrimInterval"/>. Ingest appends without a
/// length cap (a capped XADD drops the oldest entries whether or not anyone has read them), so this is the only way
/// entries leave the stream; a backlog is kept whole, and Redis's <c>maxmemory</c> with <c>noeviction</c> makes
/// ingest answer 503 before memory runs out.
/// </summary>
/// <remarks>
/// Any number of replicas may run it: XTRIM MINID is idempotent, and the safe point only moves forward.
/// </remarks>
public sealed class StreamTrimmer(
    IConnectionMultiplexer redis,
    WorkerTelemetry telemetry,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<StreamTrimmer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.TrimInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await TrimAsync();
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                // Nothing is lost by trimming later; the health checks report an outage.
                logger.LogWarning("Trimming {Stream} failed: {Error}", StreamNames.Input, exception.Message);
            }
        }
    }

    /// <summary>Trims once.</summary>
    /// <returns>The entries removed.</returns>
    public async Task<long> TrimAsync()
    {
        var database = redis.GetDatabase();
        if (await SafePointAsync(database) is not { } minimumId)
        {
            return 0;
        }

        // Exactly the entries with ids below MINID go (once a minute, so the exact form costs little).
        var trimmed = (long)await database.ExecuteAsync("XTRIM", StreamNames.Input, "MINID", minimumId);
        if (trimmed > 0)
        {
            telemetry.RecordTrimmed(trimmed);
            logger.LogInformation("Trimmed {Count} entries of {Stream} below {MinimumId}", trimmed, StreamNames.Input, minimumId);
        }

        return trimmed;
    }

    /// <summary>
    /// The lowest id that must stay: the retention cut-off, or, lower, the oldest entry some group has not
    /// acknowledged (its oldest pending one, else the first after what it was last delivered). Null while the stream or
    /// its groups do not exist: nobody has read anything, so nothing may go.
    /// </summary>
    private async Task<string?> SafePointAsync(IDatabase database)
    {
        if (!await database.KeyExistsAsync(StreamNames.Input))
        {
            return null;
        }

        var groups = await database.StreamGroupInfoAsync(StreamNames.Input);
        if (groups.Length == 0)
        {
            return null;
        }

        var cutoff = (time.GetUtcNow() - options.Value.Retention).ToUnixTimeMilliseconds();
        var safe = new StreamEntryId(Math.Max(cutoff, 0), 0);
        foreach (var group in groups)
        {
            var keep = group.PendingMessageCount > 0
                ? StreamEntryId.Parse((string)(await database.StreamPendingAsync(StreamNames.Input, group.Name)).LowestPendingMessageId!)
                : StreamEntryId.Parse(group.LastDeliveredId ?? "0-0").Next();
            safe = StreamEntryId.Min(safe, keep);
        }

        return safe.ToString();
    }
}
