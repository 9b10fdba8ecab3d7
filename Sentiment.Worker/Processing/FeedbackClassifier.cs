using Sentiment.Core.Model;
using Sentiment.Core.Text;
using Sentiment.Core.Topics;

namespace Sentiment.Worker.Processing;

/// <summary>
/// Normalises each message's text for the model (the original is what gets stored) and classifies the batch;
/// tags each message's topic and keywords.
/// </summary>
public sealed class FeedbackClassifier(ISentimentClassifier classifier, TopicTagger topics)
{
    public string ModelVersion => classifier.ModelVersion;

    public SentimentPrediction[] Classify(IReadOnlyList<ReceivedMessage> messages)
    {
        var texts = new string[messages.Count];
        for (var i = 0; i < texts.Length; i++)
        {
            texts[i] = TextPreprocessor.Normalize(messages[i].Message.Text);
        }

        var predictions = new SentimentPrediction[texts.Length];
        classifier.Classify(texts, predictions);
        return predictions;
    }

    public TopicAssignment[] Tag(IReadOnlyList<ReceivedMessage> messages)
    {
        var assignments = new TopicAssignment[messages.Count];
        for (var i = 0; i < assignments.Length; i++)
        {
            assignments[i] = topics.Tag(messages[i].Message.Text);
        }

        return assignments;
    }
}
