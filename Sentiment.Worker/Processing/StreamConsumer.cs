using Microsoft.Extensions.Options;
using Sentiment.Core.Messaging;
using StackExchange.Redis;

namespace Sentiment.Worker.Processing;

/// <summary>This replica's membership of the consumer group on <see cref="StreamNames.Input"/>: read, take over, acknowledge, dead-letter.</summary>
/// <remarks>
/// Reads poll instead of using XREADGROUP BLOCK: StackExchange.Redis sends every command of the process over one
/// multiplexed connection, so a blocking read would hold up acknowledgements and health pings behind it.
/// </remarks>
public sealed class StreamConsumer(
    IConnectionMultiplexer redis,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<StreamConsumer> logger)
{
    private readonly WorkerOptions _options = options.Value;

    public string ConsumerName { get; } =
        options.Value.ConsumerName ?? $"{Environment.MachineName}-{Environment.ProcessId}";

    private IDatabase Database => redis.GetDatabase();

    /// <summary>Creates the group (and the stream) unless it exists. A new group starts at the stream's beginning.</summary>
    public async Task<bool> EnsureGroupAsync()
    {
        try
        {
            return await Database.StreamCreateConsumerGroupAsync(
                StreamNames.Input, StreamNames.ConsumerGroup, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            return false;
        }
    }

    /// <summary>Entries never delivered to any consumer of the group, at most <see cref="WorkerOptions.BatchSize"/>.</summary>
    public async Task<StreamEntry[]> ReadNewAsync()
    {
        try
        {
            return await Database.StreamReadGroupAsync(
                StreamNames.Input, StreamNames.ConsumerGroup, ConsumerName, StreamPosition.NewMessages, _options.BatchSize);
        }
        catch (RedisServerException ex) when (IsMissingGroup(ex))
        {
            await RecreateGroupAsync();
            return [];
        }
    }

    /// <summary>
    /// Takes over entries pending longer than <see cref="WorkerOptions.ClaimMinIdle"/> (XAUTOCLAIM), scanning the
    /// pending list from <paramref name="cursor"/>; returns them and where the next scan starts ("0-0" when done).
    /// </summary>
    public async Task<(StreamEntry[] Entries, RedisValue NextCursor)> ClaimIdleAsync(RedisValue cursor)
    {
        StreamAutoClaimResult result;
        try
        {
            result = await Database.StreamAutoClaimAsync(
                StreamNames.Input,
                StreamNames.ConsumerGroup,
                ConsumerName,
                (long)_options.ClaimMinIdle.TotalMilliseconds,
                cursor,
                _options.BatchSize);
        }
        catch (RedisServerException ex) when (IsMissingGroup(ex))
        {
            await RecreateGroupAsync();
            return ([], "0-0");
        }

        if (result.DeletedIds.Length > 0)
        {
            // XAUTOCLAIM drops these from the pending list itself; they can no longer be processed.
            logger.LogWarning(
                "{Count} pending entries were trimmed from {Stream} before anyone processed them: {Ids}",
                result.DeletedIds.Length, StreamNames.Input, string.Join(", ", result.DeletedIds));
        }

        return ([.. result.ClaimedEntries.Where(entry => !entry.IsNull)], result.NextStartId);
    }

    /// <summary>How many times each entry has been delivered (XPENDING); entries no longer pending are absent.</summary>
    public async Task<IReadOnlyDictionary<string, int>> GetDeliveryCountsAsync(IEnumerable<RedisValue> ids)
    {
        var database = Database;
        // One XPENDING per id, pipelined; only failed or taken-over entries are looked up, so these are few.
        var lookups = ids
            .Select(id => database.StreamPendingMessagesAsync(StreamNames.Input, StreamNames.ConsumerGroup, 1, RedisValue.Null, id, id))
            .ToArray();
        var pending = await Task.WhenAll(lookups);
        return pending
            .SelectMany(entries => entries)
            .ToDictionary(entry => (string)entry.MessageId!, entry => entry.DeliveryCount, StringComparer.Ordinal);
    }

    public Task<long> AcknowledgeAsync(RedisValue[] ids) =>
        Database.StreamAcknowledgeAsync(StreamNames.Input, StreamNames.ConsumerGroup, ids);

    /// <summary>Copies each entry, with its error, to <see cref="StreamNames.DeadLetter"/> and acknowledges it, atomically.</summary>
    public async Task DeadLetterAsync(IReadOnlyList<(FailedMessage Failure, int Deliveries)> letters)
    {
        var failedAt = Iso8601.Format(time.GetUtcNow());
        var transaction = Database.CreateTransaction();
        var commands = new List<Task>(letters.Count + 1);
        foreach (var (failure, deliveries) in letters)
        {
            NameValueEntry[] fields =
            [
                .. failure.Entry.Values.Where(field => !DeadLetterEntry.Fields.Contains(field.Name!)),
                new(DeadLetterEntry.ErrorField, failure.Error),
                new(DeadLetterEntry.StreamIdField, failure.Entry.Id),
                new(DeadLetterEntry.DeliveriesField, deliveries),
                new(DeadLetterEntry.ConsumerField, ConsumerName),
                new(DeadLetterEntry.FailedAtField, failedAt),
            ];
            commands.Add(transaction.StreamAddAsync(
                StreamNames.DeadLetter, fields, maxLength: _options.DeadLetterMaxLength, useApproximateMaxLength: true));
        }

        commands.Add(transaction.StreamAcknowledgeAsync(
            StreamNames.Input, StreamNames.ConsumerGroup, [.. letters.Select(letter => letter.Failure.Entry.Id)]));

        if (!await transaction.ExecuteAsync())
        {
            throw new RedisException("Redis discarded the dead-letter transaction.");
        }

        await Task.WhenAll(commands);
    }

    /// <summary>
    /// Removes this consumer from the group if it holds no pending entries; one that still holds some stays, so
    /// they keep their owner and delivery counts until another replica takes them over. Each start gets a new
    /// name (host and pid), so without this every clean stop would leave a name behind in XINFO CONSUMERS.
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
            [StreamNames.Input],
            [StreamNames.ConsumerGroup, ConsumerName]);
        return (int)removed == 1;
    }

    private static bool IsMissingGroup(RedisServerException ex) =>
        ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal);

    private async Task RecreateGroupAsync()
    {
        // The stream or the group was deleted under us (e.g. by an operator); start again from what is there.
        logger.LogWarning("Consumer group {Group} on {Stream} is gone; creating it again", StreamNames.ConsumerGroup, StreamNames.Input);
        await EnsureGroupAsync();
    }
}
