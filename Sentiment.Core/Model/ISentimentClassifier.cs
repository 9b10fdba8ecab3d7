namespace Sentiment.Core.Model;

/// <summary>Classifies preprocessed text with the loaded model. Thread-safe; one instance per process.</summary>
public interface ISentimentClassifier
{
    /// <summary>Name and version of the loaded model, stored with every result.</summary>
    string ModelVersion { get; }

    /// <summary>Classifies <paramref name="texts"/> as one batch; writes one prediction per text into <paramref name="predictions"/>.</summary>
    void Classify(IReadOnlyList<string> texts, Span<SentimentPrediction> predictions);
}
