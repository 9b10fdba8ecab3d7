using Sentiment.Model.Classification;
using Sentiment.Model.Text;
using Sentiment.Model.Topics;

namespace Sentiment.Worker.Processing;

/// <summary>
/// The steps from a message's text to its classification: normalise it for the model (the original is what gets
/// stored), classify a batch of normalised texts in one model run, tag the topic and keywords. Separate steps, so
/// each can be traced and timed on its own.
/// </summary>
public sealed class FeedbackClassifier(ISentimentClassifier classifier, TopicTagger topics)
{
    public string ModelVersion => classifier.ModelVersion;

    public static string Preprocess(ReceivedMessage message) => TextPreprocessor.Normalize(message.Message.Text);

    /// <param name="texts">Texts from <see cref="Preprocess"/>.</param>
    public SentimentPrediction[] Classify(IReadOnlyList<string> texts)
    {
        var predictions = new SentimentPrediction[texts.Count];
        classifier.Classify(texts, predictions);
        return predictions;
    }

    public TopicAssignment Tag(ReceivedMessage message) => topics.Tag(message.Message.Text);
}
