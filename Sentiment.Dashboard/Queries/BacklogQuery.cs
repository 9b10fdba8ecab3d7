using Sentiment.Contracts.Messaging;
using StackExchange.Redis;

namespace Sentiment.Dashboard.Queries;

/// <summary>
/// The processors' backlog on <c>sentiment:input</c> (<see cref="StreamBacklog"/>), for the overview's key figures.
/// Read from Redis on the views' refresh, at most once per <see cref="MaxAge"/> however many views refresh: they
/// share the reading in flight or the last one, so nothing is read while nobody watches.
/// </summary>
public sealed class BacklogQuery(IConnectionMultiplexer redis, TimeProvider time, ILogger<BacklogQuery> logger)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private Task<StreamBacklog?>? _reading;
    private DateTimeOffset _readAt;

    /// <summary>The backlog, at most <see cref="MaxAge"/> old; null when Redis cannot be read (the figure shows a dash).</summary>
    public Task<StreamBacklog?> GetAsync()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_reading is null || now - _readAt >= MaxAge)
            {
                _readAt = now;
                _reading = ReadAsync();
            }

            return _reading;
        }
    }

    private async Task<StreamBacklog?> ReadAsync()
    {
        try
        {
            // While disconnected a command would wait in the multiplexer's backlog for its timeout, holding up the page.
            return redis.IsConnected
                ? await StreamBacklog.ReadAsync(redis.GetDatabase(), StreamNames.Input, StreamNames.ConsumerGroup)
                : null;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogDebug("Could not read the backlog of {Stream}: {Error}", StreamNames.Input, exception.Message);
            return null;
        }
    }
}
