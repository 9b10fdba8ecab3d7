using Microsoft.Extensions.Options;
using Sentiment.Contracts.Messaging;
using Sentiment.Streams;
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
    // XAUTOCLAIM found them trimmed from the stream before anyone processed them: they can no longer be processed.
    private static readonly Action<ILogger, int, string, string, Exception?> LogTrimmed = LoggerMessage.Define<int, string, string>(
        LogLevel.Warning, default, "{Count} pending entries were trimmed from {Stream} before anyone processed them: {Ids}");

    private readonly WorkerOptions _options = options.Value;

    private readonly ConsumerGroupMember _member = new(
        redis, StreamNames.Input, StreamNames.ConsumerGroup, options.Value.ConsumerName, StreamPosition.Beginning, logger, LogTrimmed);

    public string ConsumerName => _member.ConsumerName;

    private IDatabase Database => redis.GetDatabase();

    /// <summary>Creates the group (and the stream) unless it exists. A new group starts at the stream's beginning.</summary>
    public Task<bool> EnsureGroupAsync() => _member.EnsureGroupAsync();

    /// <summary>Entries never delivered to any consumer of the group, at most <see cref="WorkerOptions.BatchSize"/>.</summary>
    public Task<StreamEntry[]> ReadNewAsync() => _member.ReadAsync(StreamPosition.NewMessages, _options.BatchSize);

    /// <summary>
    /// This consumer's own pending entries after <paramref name="after"/>, at most <see cref="WorkerOptions.BatchSize"/>:
    /// what it held when it last stopped, if it runs under the same name. Returns them and the last id read (null when
    /// there were none left). Entries trimmed from the stream meanwhile come back without fields; they cannot be
    /// processed, so they are logged and acknowledged here.
    /// </summary>
    public async Task<(StreamEntry[] Entries, RedisValue LastId)> ReadOwnPendingAsync(RedisValue after)
    {
        var entries = await _member.ReadAsync(after, _options.BatchSize);
        if (entries.Length == 0)
        {
            return ([], RedisValue.Null);
        }

        var trimmed = entries.Where(entry => entry.Values is not { Length: > 0 }).Select(entry => entry.Id).ToArray();
        if (trimmed.Length > 0)
        {
            LogTrimmed(logger, trimmed.Length, StreamNames.Input, string.Join(", ", trimmed), null);
            await _member.AcknowledgeAsync(trimmed);
        }

        return ([.. entries.Where(entry => entry.Values is { Length: > 0 })], entries[^1].Id);
    }

    /// <summary>
    /// Takes over entries pending longer than <see cref="ConsumerGroupOptions.ClaimMinIdle"/> (XAUTOCLAIM), scanning the
    /// pending list from <paramref name="cursor"/>; returns them and where the next scan starts ("0-0" when done).
    /// </summary>
    public Task<(StreamEntry[] Entries, RedisValue NextCursor)> ClaimIdleAsync(RedisValue cursor) =>
        _member.ClaimIdleAsync(_options.ClaimMinIdle, cursor, _options.BatchSize);

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

    public Task<long> AcknowledgeAsync(RedisValue[] ids) => _member.AcknowledgeAsync(ids);

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

    /// <inheritdoc cref="ConsumerGroupMember.LeaveGroupIfIdleAsync"/>
    public Task<bool> LeaveGroupIfIdleAsync() => _member.LeaveGroupIfIdleAsync();

    /// <inheritdoc cref="ConsumerGroupMember.LeaveGroupOnStopAsync"/>
    public Task LeaveGroupOnStopAsync() => _member.LeaveGroupOnStopAsync();
}
