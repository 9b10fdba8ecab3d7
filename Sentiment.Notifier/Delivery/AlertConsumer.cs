using Microsoft.Extensions.Options;
using Sentiment.Contracts.Messaging;
using Sentiment.Streams;
using StackExchange.Redis;

namespace Sentiment.Notifier.Delivery;

/// <summary>
/// This replica's membership of the notifiers' group (<see cref="StreamNames.NotifierGroup"/>) on
/// <see cref="StreamNames.Alerts"/>: read, take over, keep, acknowledge, leave. An entry stays pending until every
/// channel has delivered its alert or given up, so an alert in hand when a notifier stops is delivered after all.
/// </summary>
/// <remarks>
/// Reads poll instead of using XREADGROUP BLOCK: StackExchange.Redis sends every command of the process over one
/// multiplexed connection, so a blocking read would hold up everything else behind it.
/// </remarks>
public sealed class AlertConsumer(IConnectionMultiplexer redis, IOptions<NotifierOptions> options, ILogger<AlertConsumer> logger)
{
    // XAUTOCLAIM found them trimmed from the stream before they were notified; their alerts stay in the alerts table.
    private static readonly Action<ILogger, int, string, string, Exception?> LogTrimmed = LoggerMessage.Define<int, string, string>(
        LogLevel.Error, default, "{Count} alerts were trimmed from {Stream} before they were notified: {Ids}");

    private readonly NotifierOptions _options = options.Value;

    private readonly ConsumerGroupMember _member = new(
        redis, StreamNames.Alerts, StreamNames.NotifierGroup, options.Value.ConsumerName, StreamPosition.NewMessages, logger, LogTrimmed);

    public string ConsumerName => _member.ConsumerName;

    /// <summary>
    /// Creates the group (and the stream) unless it exists, at the stream's end: alerts from before notifiers existed
    /// are not sent. The publisher creates the group the same way before its first entry, so none is missed.
    /// </summary>
    public Task EnsureGroupAsync() => _member.EnsureGroupAsync();

    /// <summary>Alerts never delivered to any notifier, at most <paramref name="count"/>.</summary>
    public Task<StreamEntry[]> ReadNewAsync(int count) => _member.ReadAsync(StreamPosition.NewMessages, count);

    /// <summary>
    /// This consumer's own pending alerts after <paramref name="after"/> (what it held when it last stopped, if it
    /// runs under the same name). Entries trimmed from the stream meanwhile come back empty.
    /// </summary>
    public Task<StreamEntry[]> ReadOwnPendingAsync(RedisValue after, int count) => _member.ReadAsync(after, count);

    /// <summary>
    /// Takes over alerts pending untouched for <see cref="ConsumerGroupOptions.ClaimMinIdle"/> on any consumer
    /// (XAUTOCLAIM), from <paramref name="cursor"/>; returns them and where the next scan starts ("0-0" when done).
    /// </summary>
    public Task<(StreamEntry[] Entries, RedisValue NextCursor)> ClaimIdleAsync(RedisValue cursor, int count) =>
        _member.ClaimIdleAsync(_options.ClaimMinIdle, cursor, count);

    /// <summary>
    /// KEYS: the stream. ARGV: group, consumer, then entry ids. Touches each entry still pending on this consumer
    /// (XCLAIM … JUSTID to itself resets its idle time) and returns the others. Checking the owner first matters: a
    /// plain XCLAIM would take back an entry that another notifier took over while this one stalled, and both would
    /// then send it.
    /// </summary>
    private const string KeepOwn = """
        local lost = {}
        for i = 3, #ARGV do
          local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
          if #pending == 1 and pending[1][2] == ARGV[2] then
            redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
          else
            lost[#lost + 1] = ARGV[i]
          end
        end
        return lost
        """;

    /// <summary>
    /// Resets the idle time of alerts still being delivered, so that retries longer than
    /// <see cref="ConsumerGroupOptions.ClaimMinIdle"/> are not taken over by another replica.
    /// </summary>
    /// <returns>
    /// The ids no longer pending on this consumer: taken over by another notifier (this one stalled past
    /// <see cref="ConsumerGroupOptions.ClaimMinIdle"/>) or acknowledged by one. They are no longer this one's to send.
    /// </returns>
    public async Task<IReadOnlyList<string>> KeepAsync(IReadOnlyList<string> ids)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var lost = await redis.GetDatabase().ScriptEvaluateAsync(
            KeepOwn, [StreamNames.Alerts], [StreamNames.NotifierGroup, ConsumerName, .. ids.Select(id => (RedisValue)id)]);
        return [.. ((RedisResult[])lost!).Select(id => (string)id!)];
    }

    public Task<long> AcknowledgeAsync(RedisValue id) => _member.AcknowledgeAsync([id]);

    /// <inheritdoc cref="ConsumerGroupMember.LeaveGroupOnStopAsync"/>
    public Task LeaveGroupOnStopAsync() => _member.LeaveGroupOnStopAsync();
}
