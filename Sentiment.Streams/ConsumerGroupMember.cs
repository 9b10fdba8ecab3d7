using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Sentiment.Streams;

/// <summary>
/// One consumer's membership of a consumer group on a Redis stream: join, read, take over, acknowledge, leave. The
/// worker's stream consumer (sentiment-processors) and the notifier's alert consumer (sentiment-notifiers) each hold one
/// and add what only their side does.
/// </summary>
/// <param name="stream">The stream the group reads.</param>
/// <param name="group">The consumer group.</param>
/// <param name="consumerName">
/// This replica's name in the group, stable across its restarts (the AppHost gives <c>{host}-{resource}-{replica index}</c>),
/// so that a restarted replica resumes its own pending entries at once; null for host name and process id, unique per
/// process but new on every start.
/// </param>
/// <param name="newGroupStart">Where a group created here starts reading: the stream's beginning or its end.</param>
/// <param name="logger">The owner's logger, so the lines keep its category.</param>
/// <param name="logTrimmed">
/// The owner's line (count, stream, ids) for pending entries found trimmed from the stream; what they mean, and how
/// loudly to say it, differs between the two sides.
/// </param>
public sealed class ConsumerGroupMember(
    IConnectionMultiplexer redis,
    string stream,
    string group,
    string? consumerName,
    RedisValue newGroupStart,
    ILogger logger,
    Action<ILogger, int, string, string, Exception?> logTrimmed)
{
    public string ConsumerName { get; } = consumerName ?? $"{Environment.MachineName}-{Environment.ProcessId}";

    private IDatabase Database => redis.GetDatabase();

    /// <summary>Creates the group (and the stream) unless it exists.</summary>
    /// <returns>Whether this call created it.</returns>
    public async Task<bool> EnsureGroupAsync()
    {
        try
        {
            return await Database.StreamCreateConsumerGroupAsync(stream, group, newGroupStart, createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another replica (or a publisher) made it.
            return false;
        }
    }

    /// <summary>
    /// XREADGROUP at <paramref name="position"/>: <see cref="StreamPosition.NewMessages"/> for entries never delivered
    /// to the group, an id for this consumer's own pending entries after it.
    /// </summary>
    public async Task<StreamEntry[]> ReadAsync(RedisValue position, int count)
    {
        try
        {
            return await Database.StreamReadGroupAsync(stream, group, ConsumerName, position, count);
        }
        catch (RedisServerException ex) when (IsMissingGroup(ex))
        {
            await RecreateGroupAsync();
            return [];
        }
    }

    /// <summary>
    /// Takes over entries pending longer than <paramref name="minIdle"/> on any consumer (XAUTOCLAIM), scanning the
    /// pending list from <paramref name="cursor"/>; returns them and where the next scan starts ("0-0" when done).
    /// </summary>
    public async Task<(StreamEntry[] Entries, RedisValue NextCursor)> ClaimIdleAsync(TimeSpan minIdle, RedisValue cursor, int count)
    {
        StreamAutoClaimResult result;
        try
        {
            result = await Database.StreamAutoClaimAsync(stream, group, ConsumerName, (long)minIdle.TotalMilliseconds, cursor, count);
        }
        catch (RedisServerException ex) when (IsMissingGroup(ex))
        {
            await RecreateGroupAsync();
            return ([], "0-0");
        }

        if (result.DeletedIds.Length > 0)
        {
            // XAUTOCLAIM drops these from the pending list itself; no one will be handed them again.
            logTrimmed(logger, result.DeletedIds.Length, stream, string.Join(", ", result.DeletedIds), null);
        }

        return ([.. result.ClaimedEntries.Where(entry => !entry.IsNull)], result.NextStartId);
    }

    public Task<long> AcknowledgeAsync(RedisValue[] ids) =>
        Database.StreamAcknowledgeAsync(stream, group, ids);

    /// <summary>
    /// Removes this consumer from the group if it holds no pending entries; one that still holds some stays, so
    /// they keep their owner and delivery counts until it resumes them or another replica takes them over. A replica
    /// that is scaled away, or one named by host and pid, never comes back under its name, so without this every clean
    /// stop would leave a name behind in XINFO CONSUMERS.
    /// </summary>
    /// <returns>Whether the consumer was removed.</returns>
    public async Task<bool> LeaveGroupIfIdleAsync()
    {
        // One script, so no entry can become this consumer's between the check and the removal.
        var removed = await Database.ScriptEvaluateAsync(
            """
            if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) > 0 then return 0 end
            redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
            return 1
            """,
            [stream],
            [group, ConsumerName]);
        return (int)removed == 1;
    }

    /// <summary>
    /// <see cref="LeaveGroupIfIdleAsync"/> on a clean stop, with what happened logged. Best effort: a name left behind
    /// owns nothing and costs only a line in XINFO CONSUMERS.
    /// </summary>
    public async Task LeaveGroupOnStopAsync()
    {
        try
        {
            if (await LeaveGroupIfIdleAsync())
            {
                logger.LogInformation("Consumer {Consumer} left group {Group}", ConsumerName, group);
            }
            else
            {
                logger.LogWarning(
                    "Consumer {Consumer} stays in group {Group}: it still holds pending entries, which it resumes when restarted under the same name, or another replica takes over",
                    ConsumerName, group);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Consumer {Consumer} could not leave group {Group}", ConsumerName, group);
        }
    }

    private static bool IsMissingGroup(RedisServerException ex) =>
        ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal);

    private async Task RecreateGroupAsync()
    {
        // The stream or the group was deleted under us (e.g. by an operator); start again from what is there.
        logger.LogWarning("Consumer group {Group} on {Stream} is gone; creating it again", group, stream);
        await EnsureGroupAsync();
    }
}
