using Npgsql;
using Sentiment.Storage;

namespace Sentiment.Dashboard.Queries;

/// <summary>Everything stored about one message, and the alerts it triggered or counted towards.</summary>
public sealed record MessageDetail(
    string MessageId,
    DateTimeOffset Timestamp,
    string? Source,
    string? Text,
    string? Label,
    double? Score,
    double? Confidence,
    string? Topic,
    float? TopicConfidence,
    IReadOnlyList<string> Keywords,
    string? Metadata,
    string? ModelVersion,
    string? StreamId,
    DateTimeOffset? IngestedAt,
    DateTimeOffset? ProcessedAt,
    DateTimeOffset? StoredAt,
    IReadOnlyList<MessageAlert> Alerts)
{
    /// <summary>
    /// When the row was written: <c>stored_at</c>, or for rows stored before that column existed <c>processed_at</c>
    /// (stamped just before the INSERT).
    /// </summary>
    public DateTimeOffset? Stored => StoredAt ?? ProcessedAt;
}

public sealed record MessageAlert(Guid Id, string Type, string Severity, string Status, string Reason, DateTimeOffset CreatedAt);

public sealed class MessageDetailQuery(NpgsqlDataSource dataSource)
{
    /// <returns>The message, or null when no message with that id is stored.</returns>
    public async Task<MessageDetail?> GetAsync(string messageId, CancellationToken cancellationToken = default)
    {
        if (SentimentFilter.HasNul(messageId))
        {
            return null; // no stored id has one (ingest refuses it), and PostgreSQL would refuse the parameter
        }

        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            SELECT message_id, "timestamp", source, original_text, sentiment_label, sentiment_score, confidence,
                   topic, topic_confidence, keywords, metadata::text, model_version, stream_id, ingested_at, processed_at,
                   stored_at
            FROM {SentimentDbContext.ResultsTable}
            WHERE message_id = @id
            """)
        {
            Parameters = { FilterSql.Text("id", messageId) },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            SELECT id, type, severity, status, reason, created_at
            FROM {SentimentDbContext.AlertsTable}
            WHERE @id = ANY (message_ids)
            ORDER BY created_at DESC
            """)
        {
            Parameters = { FilterSql.Text("id", messageId) },
        });

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        string? Text(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
        var detail = new MessageDetail(
            reader.GetString(0),
            TimestampColumn.Read(reader, 1),
            Text(2),
            Text(3),
            Text(4),
            reader.IsDBNull(5) ? null : reader.GetDouble(5),
            reader.IsDBNull(6) ? null : reader.GetDouble(6),
            Text(7),
            reader.IsDBNull(8) ? null : reader.GetFloat(8),
            reader.IsDBNull(9) ? [] : reader.GetFieldValue<string[]>(9),
            Text(10),
            Text(11),
            Text(12),
            reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
            reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14),
            reader.IsDBNull(15) ? null : reader.GetFieldValue<DateTimeOffset>(15),
            []);

        await reader.NextResultAsync(cancellationToken);
        var alerts = new List<MessageAlert>();
        while (await reader.ReadAsync(cancellationToken))
        {
            alerts.Add(new MessageAlert(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return detail with { Alerts = alerts };
    }
}
