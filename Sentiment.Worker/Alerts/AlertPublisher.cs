using System.Diagnostics;
using Sentiment.Contracts.Alerts;
using Sentiment.Contracts.Messaging;
using Sentiment.Worker.Telemetry;
using StackExchange.Redis;

namespace Sentiment.Worker.Alerts;

/// <summary>
/// Appends alerts to <c>sentiment:alerts</c>, where the dashboard follows them and the notifiers' group
/// (<see cref="StreamNames.NotifierGroup"/>) sends them. Idempotent per alert id: publishing an alert again (the
/// raiser and the outbox sweep racing, or a worker that died after the append and before marking the row) appends
/// nothing. The alerts-fired metric is counted here, as each alert is appended, so every caller counts it and none
/// counts it twice.
/// </summary>
public sealed class AlertPublisher(IConnectionMultiplexer redis, WorkerTelemetry telemetry)
{
    // Alerts are few; a cap keeps a runaway rule from filling Redis. The table keeps every alert.
    private const int MaxLength = 100_000;

    // Longer than any alert stays unmarked in the table (the sweep marks it within minutes); after that the row's
    // published_at is what keeps it from being published again.
    private static readonly TimeSpan MarkerLifetime = TimeSpan.FromDays(7);

    /// <summary>
    /// KEYS: the stream, the alert's marker. ARGV: notifier group, max length, marker seconds, then the entry's fields
    /// and values. Returns the new entry's id, or false when the marker says the alert is on the stream already.
    /// The group is created (at the stream's end) before the first entry goes in, so no alert is ever appended
    /// before the notifiers' group exists to deliver it; history from before the group is not notified.
    /// </summary>
    private const string PublishOnce = """
        if redis.call('EXISTS', KEYS[2]) == 1 then
          return false
        end
        pcall(redis.call, 'XGROUP', 'CREATE', KEYS[1], ARGV[1], '$', 'MKSTREAM')
        local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', unpack(ARGV, 4))
        redis.call('SET', KEYS[2], id, 'EX', ARGV[3])
        return id
        """;

    /// <summary>Publishes each alert unless it was published before; returns the ones appended now.</summary>
    /// <param name="trace">The span that raised the alerts: its context goes in each entry's traceparent and tracestate.</param>
    public async Task<IReadOnlyList<Alert>> PublishAsync(IReadOnlyList<Alert> alerts, ActivityContext trace = default)
    {
        var (traceParent, traceState) = StreamTraceContext.Inject(trace);
        var database = redis.GetDatabase();
        var appended = new List<Alert>(alerts.Count);
        foreach (var alert in alerts)
        {
            RedisValue[] arguments =
            [
                StreamNames.NotifierGroup,
                MaxLength,
                (long)MarkerLifetime.TotalSeconds,
                .. AlertStreamEntry.ToFields(alert, traceParent, traceState).SelectMany(field => new[] { field.Name, field.Value }),
            ];
            var result = await database.ScriptEvaluateAsync(PublishOnce, [StreamNames.Alerts, MarkerKey(alert.Id)], arguments);
            if (!result.IsNull)
            {
                appended.Add(alert);
                telemetry.RecordAlertFired(alert);
            }
        }

        return appended;
    }

    /// <summary>
    /// The marker of a published alert. Its hash tag is the stream's name, so marker and stream share a cluster slot
    /// (a key without braces hashes on its whole name) and the script may touch both.
    /// </summary>
    public static RedisKey MarkerKey(Guid alertId) => $"{{{StreamNames.Alerts}}}:published:{alertId}";
}
