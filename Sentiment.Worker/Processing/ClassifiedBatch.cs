using Sentiment.Model.Classification;
using Sentiment.Model.Topics;
using Sentiment.Worker.Telemetry;

namespace Sentiment.Worker.Processing;

/// <summary>
/// A batch after the model, on its way to be stored: the messages that parsed and were classified, those that failed
/// so far, and the batch's spans, which end when the batch is done.
/// </summary>
/// <param name="Deliveries">Delivery counts of a claimed batch's entries, read when it was classified; null for new entries.</param>
/// <param name="ProcessedAt">When classification finished: the rows' <c>processed_at</c>.</param>
public sealed record ClassifiedBatch(
    BatchTrace Trace,
    List<ClassifiedMessage> Messages,
    List<FailedMessage> Failures,
    IReadOnlyDictionary<string, int>? Deliveries,
    DateTimeOffset ProcessedAt);

/// <summary>A message with its sentiment and topic.</summary>
public sealed record ClassifiedMessage(ReceivedMessage Received, SentimentPrediction Prediction, TopicAssignment Topic);
