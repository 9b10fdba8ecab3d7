using Sentiment.Contracts;

namespace Sentiment.Model.Classification;

/// <summary>
/// One message's classification. <see cref="Score"/> is P(positive) − P(negative), in [-1, 1];
/// <see cref="Confidence"/> is the probability of <see cref="Label"/>.
/// </summary>
public readonly record struct SentimentPrediction(SentimentLabel Label, float Confidence, float Score, float Negative, float Neutral, float Positive);
