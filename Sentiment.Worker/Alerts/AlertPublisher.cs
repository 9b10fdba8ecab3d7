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
    /// KEYS: the stream, then each alert's marker. ARGV: notifier group, max length, marker seconds, then for each
    /// alert its field count and its entry's fields and values. Returns, per alert, the new entry's id, or 0 when the
    /// marker says the alert is on the stream already. The group is created (at the stream's end) before the first
    /// entry goes in, so no alert is ever appended before the notifiers' group exists to deliver it; history from
    /// before the group is not notified.
    /// </summary>
    private const string PublishOnce = """
        pcall(redis.call, 'XGROUP', 'CREATE', KEYS[1], ARGV[1], '$', 'MKSTREAM')
        local appended = {}
        local a = 4
        for k = 2, #KEYS do
          local count = tonumber(ARGV[a])
          if redis.call('EXISTS', KEYS[k]) == 1 then
            appended[k - 1] = 0
          else
            local fields = {}
            for i = 1, count do
              fields[i] = ARGV[a + i]
            end
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', unpack(fields))
            redis.call('SET', KEYS[k], id, 'EX', ARGV[3])
            appended[k - 1] = id
          end
          a = a + 1 + count
        end
        return appended
        """;

    /// <summary>
    /// Publishes each alert unless it was published before, all in one script call; returns the ones appended now.
    /// </summary>
    /// <param name="traces">
    /// Per alert, the span that raised it (its context goes in the entry's traceparent and tracestate); none, or a
    /// default context, starts a trace of the alert's own.
    /// </param>
    public async Task<IReadOnlyList<Alert>> PublishAsync(IReadOnlyList<Alert> alerts, IReadOnlyList<ActivityContext>? traces = null)
    {
        if (alerts.Count == 0)
        {
            return [];
        }

        RedisKey[] keys = [StreamNames.Alerts, .. alerts.Select(alert => MarkerKey(alert.Id))];
        var arguments = new List<RedisValue> { StreamNames.NotifierGroup, MaxLength, (long)MarkerLifetime.TotalSeconds };
        for (var i = 0; i < alerts.Count; i++)
        {
            var (traceParent, traceState) = StreamTraceContext.Inject(traces?[i] ?? default);
            var fields = AlertStreamEntry.ToFields(alerts[i], traceParent, traceState);
            arguments.Add(fields.Length * 2);
            arguments.AddRange(fields.SelectMany(field => new[] { field.Name, field.Value }));
        }

        var results = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(PublishOnce, keys, [.. arguments]))!;
        var appended = new List<Alert>(alerts.Count);
        for (var i = 0; i < alerts.Count; i++)
        {
            if (results[i].Resp2Type == ResultType.BulkString)
            {
                appended.Add(alerts[i]);
                telemetry.RecordAlertFired(alerts[i]);
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
