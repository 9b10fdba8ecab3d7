using System.Text.Json;
using Microsoft.Extensions.Options;
using Sentiment.Contracts.Alerts;
using Sentiment.Contracts.Messaging;
using Sentiment.Dashboard.Telemetry;
using StackExchange.Redis;

namespace Sentiment.Dashboard.Live;

/// <summary>
/// Follows <c>sentiment:alerts</c> into <see cref="LiveUpdates"/>: every instance reads the whole stream itself,
/// without a consumer group (each needs every alert), from the entry that was last when it started.
/// </summary>
/// <remarks>
/// StackExchange.Redis shares one connection between callers and so cannot block in XREAD; the stream is polled
/// every <see cref="LiveOptions.AlertPollInterval"/> while it has nothing new, as the workers poll their input.
/// </remarks>
public sealed class AlertStreamReader(
    IConnectionMultiplexer redis,
    LiveUpdates live,
    LiveFeedHealth health,
    DashboardTelemetry telemetry,
    IOptions<LiveOptions> options,
    TimeProvider time,
    ILogger<AlertStreamReader> logger) : BackgroundService
{
    private const int ReadCount = 100;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RedisValue? lastId = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var database = redis.GetDatabase();
                lastId ??= await LastIdAsync(database);
                var entries = await database.StreamReadAsync(StreamNames.Alerts, lastId.Value, ReadCount);
                health.AlertStreamRead();
                foreach (var entry in entries)
                {
                    lastId = entry.Id;
                    Add(entry);
                }

                if (entries.Length < ReadCount)
                {
                    await Task.Delay(options.Value.AlertPollInterval, time, stoppingToken);
                }
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                telemetry.RecordFeedFailure(StreamNames.Alerts);
                health.AlertStreamFailed(exception.Message);
                logger.LogWarning("Cannot read {Stream} ({Error}); retrying", StreamNames.Alerts, exception.Message);
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>The id of the stream's newest entry: what XREAD's <c>$</c> means, for a non-blocking read.</summary>
    private static async Task<RedisValue> LastIdAsync(IDatabase database)
    {
        var last = await database.StreamRangeAsync(StreamNames.Alerts, "-", "+", count: 1, messageOrder: Order.Descending);
        return last.Length == 0 ? "0-0" : last[0].Id;
    }

    private void Add(StreamEntry entry)
    {
        Alert alert;
        try
        {
            alert = AlertStreamEntry.Parse(entry);
        }
        catch (Exception exception) when (exception is JsonException or ArgumentNullException or InvalidCastException)
        {
            telemetry.RecordFeedFailure(StreamNames.Alerts);
            logger.LogWarning("Skipped entry {EntryId} of {Stream}: it holds no alert ({Error})", entry.Id, StreamNames.Alerts, exception.Message);
            return;
        }

        live.AddAlert(new LiveAlert(alert, StreamTraceContext.Extract(entry)));
    }
}
