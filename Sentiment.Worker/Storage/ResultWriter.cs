using Npgsql;
using Sentiment.Contracts;
using Sentiment.Storage;
using Sentiment.Worker.Processing;

namespace Sentiment.Worker.Storage;

/// <summary>Stores a batch of classified messages in <c>sentiment_analysis</c> with one statement, one round trip (<see cref="ResultRows"/>).</summary>
public sealed class ResultWriter(NpgsqlDataSource dataSource)
{
    /// <returns>The number of rows inserted; messages already stored are skipped.</returns>
    public async Task<int> WriteAsync(
        IReadOnlyList<ClassifiedMessage> messages,
        string modelVersion,
        DateTimeOffset processedAt,
        CancellationToken cancellationToken)
    {
        var rows = new ResultRows(messages.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var (received, prediction, topic) = messages[i];
            var message = received.Message;
            rows.MessageIds[i] = message.Id;
            rows.Timestamps[i] = DateTime.SpecifyKind(message.Timestamp.UtcDateTime, DateTimeKind.Unspecified);
            rows.Sources[i] = message.Source;
            rows.Texts[i] = message.Text;
            rows.Labels[i] = SentimentLabels.Name(prediction.Label);
            rows.Scores[i] = prediction.Score;
            rows.Confidences[i] = prediction.Confidence;
            rows.Metadata[i] = message.Metadata;
            rows.StreamIds[i] = received.StreamId;
            rows.IngestedAt[i] = message.IngestedAt.ToUniversalTime();
            rows.Topics[i] = topic.Topic;
            rows.TopicConfidences[i] = topic.Confidence;
            rows.Keywords[i] = string.Join(' ', topic.Keywords);
        }

        await using var command = rows.CreateInsert(dataSource, modelVersion, processedAt);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
