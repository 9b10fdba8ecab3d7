using Sentiment.Core.Model;
using Sentiment.Core.Text;

namespace Sentiment.Worker.Processing;

/// <summary>Normalises each message's text for the model (the original is what gets stored) and classifies the batch.</summary>
public sealed class FeedbackClassifier(ISentimentClassifier classifier)
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
}
