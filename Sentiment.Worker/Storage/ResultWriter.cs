using Npgsql;
using NpgsqlTypes;
using Sentiment.Core.Model;
using Sentiment.Worker.Processing;

namespace Sentiment.Worker.Storage;

/// <summary>Stores a batch of classified messages in <c>sentiment_analysis</c> with one statement, one round trip.</summary>
public sealed class ResultWriter(NpgsqlDataSource dataSource)
{
    // One INSERT over unnest()ed array parameters: a single statement whatever the batch size, so one round trip
    // and one implicit transaction. ON CONFLICT makes a redelivered or re-posted message a no-op.
    // Columns as mapped by Sentiment.Core.Storage.SentimentDbContext.
    private const string InsertSql = """
        INSERT INTO sentiment_analysis
            (message_id, "timestamp", source, original_text, sentiment_label, sentiment_score, confidence,
             metadata, stream_id, ingested_at, model_version, processed_at)
        SELECT m.message_id, m.written_at, m.source, m.original_text, m.sentiment_label, m.sentiment_score, m.confidence,
               m.metadata::jsonb, m.stream_id, m.ingested_at, $11, $12
        FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            AS m(message_id, written_at, source, original_text, sentiment_label, sentiment_score, confidence,
                 metadata, stream_id, ingested_at)
        ON CONFLICT (message_id) DO NOTHING
        """;

    /// <returns>The number of rows inserted; messages already stored are skipped.</returns>
    public async Task<int> WriteAsync(
        IReadOnlyList<ReceivedMessage> messages,
        IReadOnlyList<SentimentPrediction> predictions,
        string modelVersion,
        DateTimeOffset processedAt,
        CancellationToken cancellationToken)
    {
        var count = messages.Count;
        var messageIds = new string[count];
        var timestamps = new DateTime[count];
        var sources = new string[count];
        var texts = new string[count];
        var labels = new string[count];
        var scores = new double[count];
        var confidences = new double[count];
        var metadata = new string?[count];
        var streamIds = new string[count];
        var ingestedAt = new DateTimeOffset[count];
        for (var i = 0; i < count; i++)
        {
            var message = messages[i].Message;
            var prediction = predictions[i];
            messageIds[i] = message.Id;
            // The design's "timestamp" column is TIMESTAMP (no zone) and holds UTC; Npgsql only writes
            // DateTimes of Kind Unspecified to it.
            timestamps[i] = DateTime.SpecifyKind(message.Timestamp.UtcDateTime, DateTimeKind.Unspecified);
            sources[i] = message.Source;
            texts[i] = message.Text;
            labels[i] = LabelName(prediction.Label);
            scores[i] = prediction.Score;
            confidences[i] = prediction.Confidence;
            metadata[i] = message.Metadata;
            streamIds[i] = messages[i].StreamId;
            ingestedAt[i] = message.IngestedAt.ToUniversalTime();
        }

        await using var command = dataSource.CreateCommand(InsertSql);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = messageIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = timestamps, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Timestamp });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = sources, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = texts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = labels, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = scores, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = confidences, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = metadata, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = streamIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = ingestedAt, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = modelVersion, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = processedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The stored label: <c>positive</c>, <c>neutral</c> or <c>negative</c>.</summary>
    public static string LabelName(SentimentLabel label) => label switch
    {
        SentimentLabel.Negative => "negative",
        SentimentLabel.Neutral => "neutral",
        SentimentLabel.Positive => "positive",
        _ => throw new ArgumentOutOfRangeException(nameof(label), label, "Unknown sentiment label."),
    };
}
