using Npgsql;
using NpgsqlTypes;
using Sentiment.Contracts;
using Sentiment.Model.Classification;
using Sentiment.Model.Topics;
using Sentiment.Storage;
using Sentiment.Worker.Processing;

namespace Sentiment.Worker.Storage;

/// <summary>Stores a batch of classified messages in <c>sentiment_analysis</c> with one statement, one round trip.</summary>
public sealed class ResultWriter(NpgsqlDataSource dataSource)
{
    // One INSERT over unnest()ed array parameters: a single statement whatever the batch size, so one round trip
    // and one implicit transaction. ON CONFLICT makes a redelivered or re-posted message a no-op.
    // Columns as mapped by Sentiment.Storage.SentimentDbContext.
    // Each row's keywords (a text[]) travel as one space-separated string and are split in SQL: unnest() flattens a
    // two-dimensional array parameter, and keywords are single words (letters and digits), so a space cannot occur in one.
    private const string InsertSql = $"""
        INSERT INTO {SentimentDbContext.ResultsTable}
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

    /// <returns>The number of rows inserted; messages already stored are skipped.</returns>
    public async Task<int> WriteAsync(
        IReadOnlyList<ReceivedMessage> messages,
        IReadOnlyList<SentimentPrediction> predictions,
        IReadOnlyList<TopicAssignment> topics,
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
        var topicNames = new string[count];
        var topicConfidences = new float[count];
        var keywords = new string[count];
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
            labels[i] = SentimentLabels.Name(prediction.Label);
            scores[i] = prediction.Score;
            confidences[i] = prediction.Confidence;
            metadata[i] = message.Metadata;
            streamIds[i] = messages[i].StreamId;
            ingestedAt[i] = message.IngestedAt.ToUniversalTime();
            topicNames[i] = topics[i].Topic;
            topicConfidences[i] = topics[i].Confidence;
            keywords[i] = string.Join(' ', topics[i].Keywords);
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
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = topicNames, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<float[]> { TypedValue = topicConfidences, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Real });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keywords, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = modelVersion, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = processedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
