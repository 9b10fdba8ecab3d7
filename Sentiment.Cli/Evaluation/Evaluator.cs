using Sentiment.Contracts;
using Sentiment.Model.Classification;
using Sentiment.Model.Text;

namespace Sentiment.Cli.Evaluation;

/// <summary>Classifies a labelled data set with the model and scores it.</summary>
public static class Evaluator
{
    private static readonly SentimentLabel[] ThreeClasses = [SentimentLabel.Negative, SentimentLabel.Neutral, SentimentLabel.Positive];
    private static readonly SentimentLabel[] TwoClasses = [SentimentLabel.Negative, SentimentLabel.Positive];

    public static ClassificationReport Evaluate(ISentimentClassifier classifier, LabelledDataset dataset, int batchSize = 64)
    {
        var normalized = new string[dataset.Count];
        for (var i = 0; i < dataset.Count; i++)
        {
            normalized[i] = TextPreprocessor.Normalize(dataset.Texts[i]);
        }

        var predictions = new SentimentPrediction[dataset.Count];
        for (var offset = 0; offset < normalized.Length; offset += batchSize)
        {
            var count = Math.Min(batchSize, normalized.Length - offset);
            classifier.Classify(new ArraySegment<string>(normalized, offset, count), predictions.AsSpan(offset, count));
        }

        var predicted = new SentimentLabel[predictions.Length];
        for (var i = 0; i < predictions.Length; i++)
        {
            predicted[i] = dataset.IsBinary ? BinaryLabel(predictions[i]) : predictions[i].Label;
        }

        return new ClassificationReport(dataset.IsBinary ? TwoClasses : ThreeClasses, dataset.Labels, predicted);
    }

    /// <summary>A binary data set has no neutral class: positive iff P(positive) ≥ P(negative).</summary>
    public static SentimentLabel BinaryLabel(SentimentPrediction prediction) =>
        prediction.Positive >= prediction.Negative ? SentimentLabel.Positive : SentimentLabel.Negative;
}
