using Sentiment.Model.Classification;
using Sentiment.Model.Topics;
using Sentiment.Worker.Processing;

namespace Sentiment.Worker.Storage;

/// <summary>A message now in the database, how it was classified and tagged, and when it was stored.</summary>
public sealed record StoredResult(ReceivedMessage Received, SentimentPrediction Prediction, TopicAssignment Topic, DateTimeOffset ProcessedAt);
