using Microsoft.Extensions.Options;
using Sentiment.Core.Messaging;
using StackExchange.Redis;

namespace Sentiment.Worker.Notifications;

/// <summary>
/// This replica's membership of the notifiers' group (<see cref="StreamNames.NotifierGroup"/>) on
/// <see cref="StreamNames.Alerts"/>: read, take over, keep, acknowledge. An entry stays pending until every channel
/// has delivered its alert or given up, so an alert in hand when a worker stops is delivered after all.
/// </summary>
/// <remarks>
/// Reads poll instead of using XREADGROUP BLOCK: StackExchange.Redis sends every command of the process over one
/// multiplexed connection, so a blocking read would hold up everything else behind it.
/// </remarks>
public sealed class NotificationConsumer(IConnectionMultiplexer redis, IOptions<NotificationOptions> options, ILogger<NotificationConsumer> logger)
{
    private readonly NotificationOptions _options = options.Value;

    public string ConsumerName { get; } = options.Value.ConsumerName ?? $"{Environment.MachineName}-{Environment.ProcessId}";

    private IDatabase Database => redis.GetDatabase();

    /// <summary>
    /// Creates the group (and the stream) unless it exists, at the stream's end: alerts from before notifiers existed
    /// are not sent. The publisher creates the group the same way before its first entry, so none is missed.
    /// </summary>
    public async Task EnsureGroupAsync()
    {
        try
        {
            await Database.StreamCreateConsumerGroupAsync(StreamNames.Alerts, StreamNames.NotifierGroup, StreamPosition.NewMessages, createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another replica made it.
        }
    }

    /// <summary>Alerts never delivered to any notifier, at most <paramref name="count"/>.</summary>
    public Task<StreamEntry[]> ReadNewAsync(int count) => ReadAsync(StreamPosition.NewMessages, count);

    /// <summary>
    /// This consumer's own pending alerts after <paramref name="after"/> (what it held when it last stopped, if it
    /// runs under the same name). Entries trimmed from the stream meanwhile come back empty.
    /// </summary>
    public Task<StreamEntry[]> ReadOwnPendingAsync(RedisValue after, int count) => ReadAsync(after, count);

    /// <summary>
    /// Takes over alerts pending untouched for <see cref="NotificationOptions.ClaimMinIdle"/> on any consumer
    /// (XAUTOCLAIM), from <paramref name="cursor"/>; returns them and where the next scan starts ("0-0" when done).
    /// </summary>
    public async Task<(StreamEntry[] Entries, RedisValue NextCursor)> ClaimIdleAsync(RedisValue cursor, int count)
    {
        StreamAutoClaimResult result;
        try
        {
            result = await Database.StreamAutoClaimAsync(
                StreamNames.Alerts, StreamNames.NotifierGroup, ConsumerName, (long)_options.ClaimMinIdle.TotalMilliseconds, cursor, count);
        }
        catch (RedisServerException ex) when (IsMissingGroup(ex))
        {
            await RecreateGroupAsync();
            return ([], "0-0");
        }

        if (result.DeletedIds.Length > 0)
        {
            // XAUTOCLAIM drops these from the pending list itself; their alerts stay in the alerts table.
            logger.LogError(
                "{Count} alerts were trimmed from {Stream} before they were notified: {Ids}",
                result.DeletedIds.Length, StreamNames.Alerts, string.Join(", ", result.DeletedIds));
        }

        return ([.. result.ClaimedEntries.Where(entry => !entry.IsNull)], result.NextStartId);
    }

    /// <summary>
    /// Resets the idle time of alerts still being delivered (XCLAIM … JUSTID to this consumer), so that retries
    /// longer than <see cref="NotificationOptions.ClaimMinIdle"/> are not taken over by another replica.
    /// </summary>
    public async Task KeepAsync(RedisValue[] ids)
    {
        if (ids.Length > 0)
        {
            await Database.StreamClaimIdsOnlyAsync(StreamNames.Alerts, StreamNames.NotifierGroup, ConsumerName, 0, ids);
        }
    }

    public Task<long> AcknowledgeAsync(RedisValue id) =>
        Database.StreamAcknowledgeAsync(StreamNames.Alerts, StreamNames.NotifierGroup, id);

    private async Task<StreamEntry[]> ReadAsync(RedisValue position, int count)
    {
        try
        {
            return await Database.StreamReadGroupAsync(StreamNames.Alerts, StreamNames.NotifierGroup, ConsumerName, position, count);
        }
        catch (RedisServerException ex) when (IsMissingGroup(ex))
        {
            await RecreateGroupAsync();
            return [];
        }
    }

    private static bool IsMissingGroup(RedisServerException ex) =>
        ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal);

    private async Task RecreateGroupAsync()
    {
        logger.LogWarning("Consumer group {Group} on {Stream} is gone; creating it again", StreamNames.NotifierGroup, StreamNames.Alerts);
        await EnsureGroupAsync();
    }
}
