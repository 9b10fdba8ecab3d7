using Npgsql;
using Sentiment.Tests.Infrastructure;

namespace Sentiment.Tests.Worker.Support;

/// <summary>A fresh PostgreSQL database for one test, and queries on its <c>sentiment_analysis</c> table.</summary>
public sealed class ResultsDatabase(string connectionString)
{
    public string ConnectionString { get; } = connectionString;

    /// <summary>A fresh database with the current schema, as the migrations resource leaves it before workers start.</summary>
    public static async Task<ResultsDatabase> CreateAsync(InfrastructureFixture infrastructure) =>
        new(await infrastructure.CreateMigratedDatabaseAsync());

    /// <summary>Rows stored so far; 0 while the table does not exist yet (the worker creates it at start-up).</summary>
    public async Task<long> CountAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT to_regclass('public.sentiment_analysis') IS NOT NULL", connection);
        if (!(bool)(await exists.ExecuteScalarAsync())!)
        {
            return 0;
        }

        await using var count = new NpgsqlCommand("SELECT count(*) FROM sentiment_analysis", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    public async Task<List<StoredRow>> RowsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT message_id, "timestamp", source, original_text, sentiment_label, sentiment_score, confidence,
                   metadata::text, model_version, stream_id, ingested_at, processed_at, topic, topic_confidence, keywords,
                   stored_at
            FROM sentiment_analysis ORDER BY id
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<StoredRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new StoredRow(
                reader.GetString(0),
                reader.GetDateTime(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetDouble(5),
                reader.GetDouble(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetString(8),
                reader.GetString(9),
                reader.GetFieldValue<DateTimeOffset>(10),
                reader.GetFieldValue<DateTimeOffset>(11),
                reader.GetString(12),
                reader.GetFloat(13),
                reader.GetFieldValue<string[]>(14),
                reader.IsDBNull(15) ? null : reader.GetFieldValue<DateTimeOffset>(15)));
        }

        return rows;
    }
}

public sealed record StoredRow(
    string MessageId,
    DateTime Timestamp,
    string Source,
    string OriginalText,
    string SentimentLabel,
    double SentimentScore,
    double Confidence,
    string? Metadata,
    string ModelVersion,
    string StreamId,
    DateTimeOffset IngestedAt,
    DateTimeOffset ProcessedAt,
    string Topic,
    float TopicConfidence,
    string[] Keywords,
    DateTimeOffset? StoredAt);
