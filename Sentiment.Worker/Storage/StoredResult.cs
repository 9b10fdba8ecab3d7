using Sentiment.Model.Classification;
using Sentiment.Model.Topics;
using Sentiment.Worker.Processing;

namespace Sentiment.Worker.Storage;

/// <summary>A message now in the database, how it was classified and tagged, and when.</summary>
/// <param name="ProcessedAt">When it was classified: its row's <c>processed_at</c>, stamped before the INSERT.</param>
/// <param name="StoredAt">When the INSERT's commit returned to the worker (the worker's clock).</param>
public sealed record StoredResult(
    ReceivedMessage Received, SentimentPrediction Prediction, TopicAssignment Topic, DateTimeOffset ProcessedAt, DateTimeOffset StoredAt);
