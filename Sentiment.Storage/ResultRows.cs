using Npgsql;
using NpgsqlTypes;

namespace Sentiment.Storage;

/// <summary>
/// A batch of <c>sentiment_analysis</c> rows as column arrays, and the one statement that stores them: the worker's
/// write, and what <c>sentiment bench storage</c> measures.
/// </summary>
public sealed class ResultRows(int count)
{
    // One INSERT over unnest()ed array parameters: a single statement whatever the batch size, so one round trip
    // and one implicit transaction. ON CONFLICT makes a redelivered or re-posted message a no-op.
    // Columns as mapped by SentimentDbContext; stored_at is left to its default (the database's clock).
    // Each row's keywords (a text[]) travel as one space-separated string and are split in SQL: unnest() flattens a
    // two-dimensional array parameter, and keywords are single words (letters and digits), so a space cannot occur in one.
    private static readonly string ResultsInsertSql = InsertSql(SentimentDbContext.ResultsTable);

    private static string InsertSql(string table) => $"""
        INSERT INTO {table}
            (message_id, "timestamp", source, original_text, sentiment_label, sentiment_score, confidence,
             metadata, stream_id, ingested_at, topic, topic_confidence, keywords, model_version, processed_at)
        SELECT m.message_id, m.written_at, m.source, m.original_text, m.sentiment_label, m.sentiment_score, m.confidence,
               m.metadata::jsonb, m.stream_id, m.ingested_at, m.topic, m.topic_confidence,
               string_to_array(m.keywords, ' '), $14, $15
        FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            AS m(message_id, written_at, source, original_text, sentiment_label, sentiment_score, confidence,
                 metadata, stream_id, ingested_at, topic, topic_confidence, keywords)
        ON CONFLICT (message_id) DO NOTHING
        """;

    public int Count { get; } = count;

    public string[] MessageIds { get; } = new string[count];

    /// <summary>The design's <c>timestamp</c> (TIMESTAMP, no zone): UTC, of Kind Unspecified, the only kind Npgsql writes to it.</summary>
    public DateTime[] Timestamps { get; } = new DateTime[count];

    public string[] Sources { get; } = new string[count];

    public string[] Texts { get; } = new string[count];

    public string[] Labels { get; } = new string[count];

    public double[] Scores { get; } = new double[count];

    public double[] Confidences { get; } = new double[count];

    public string?[] Metadata { get; } = new string?[count];

    public string[] StreamIds { get; } = new string[count];

    public DateTimeOffset[] IngestedAt { get; } = new DateTimeOffset[count];

    public string[] Topics { get; } = new string[count];

    public float[] TopicConfidences { get; } = new float[count];

    /// <summary>Each row's keywords joined by single spaces.</summary>
    public string[] Keywords { get; } = new string[count];

    /// <summary>The statement that stores these rows in <paramref name="table"/> (another name only for benchmarks).</summary>
    public NpgsqlCommand CreateInsert(
        NpgsqlDataSource dataSource, string modelVersion, DateTimeOffset processedAt, string table = SentimentDbContext.ResultsTable)
    {
        var command = dataSource.CreateCommand(table == SentimentDbContext.ResultsTable ? ResultsInsertSql : InsertSql(table));
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = MessageIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = Timestamps, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Timestamp });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = Sources, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = Texts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = Labels, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = Scores, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = Confidences, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = Metadata, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = StreamIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = IngestedAt, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = Topics, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<float[]> { TypedValue = TopicConfidences, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Real });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = Keywords, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = modelVersion, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = processedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return command;
    }
}
