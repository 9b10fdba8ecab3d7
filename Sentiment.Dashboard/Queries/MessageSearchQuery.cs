using Npgsql;
using Sentiment.Storage;

namespace Sentiment.Dashboard.Queries;

/// <summary>One row of the messages table.</summary>
public sealed record MessageListItem(
    string MessageId,
    DateTimeOffset Timestamp,
    string? Source,
    string? Label,
    double? Score,
    string? Topic,
    string? Text);

/// <summary>A page of messages, newest first, and the cursor of the next page (null on the last page).</summary>
public sealed record MessagePage(IReadOnlyList<MessageListItem> Items, string? NextCursor);

/// <summary>
/// The stored messages that match a filter, newest first (by <c>timestamp</c>, then row id), a page at a time with
/// keyset paging: each page continues after the last row of the one before, so a page costs the same however deep
/// it is and rows stored meanwhile neither repeat nor shift a page.
/// </summary>
public sealed class MessageSearchQuery(NpgsqlDataSource dataSource)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public async Task<MessagePage> SearchAsync(
        SentimentFilter filter, MessageCursor? after = null, int pageSize = DefaultPageSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        await using var command = CreateCommand(filter, after, pageSize);
        var items = new List<MessageListItem>(pageSize);
        MessageCursor? last = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (items.Count == pageSize)
                {
                    // The extra row read only says that another page follows.
                    return new MessagePage(items, last!.Encode());
                }

                var timestamp = TimestampColumn.Read(reader, 1);
                last = new MessageCursor(timestamp, reader.GetInt32(0));
                items.Add(new MessageListItem(
                    reader.GetString(2),
                    timestamp,
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetDouble(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7)));
            }
        }

        return new MessagePage(items, null);
    }

    /// <summary>The statement <see cref="SearchAsync"/> runs; public so a test can EXPLAIN it.</summary>
    public NpgsqlCommand CreateCommand(SentimentFilter filter, MessageCursor? after, int pageSize)
    {
        var command = dataSource.CreateCommand();
        var where = FilterSql.Where(filter, command.Parameters);
        if (after is not null)
        {
            // A row comparison, which idx_timestamp_id serves as one range.
            where += " AND (\"timestamp\", id) < (@after_timestamp, @after_id)";
            command.Parameters.Add(TimestampColumn.Parameter(after.Timestamp, "after_timestamp"));
            command.Parameters.Add(new NpgsqlParameter<int>("after_id", after.Id));
        }

        command.CommandText = $"""
            SELECT id, "timestamp", message_id, source, sentiment_label, sentiment_score, topic, original_text
            FROM {SentimentDbContext.ResultsTable}
            WHERE message_id IS NOT NULL AND {where}
            ORDER BY "timestamp" DESC, id DESC
            LIMIT @limit
            """;
        command.Parameters.Add(new NpgsqlParameter<int>("limit", pageSize + 1));
        return command;
    }
}
