namespace Sentiment.Model.Classification;

/// <summary>
/// Classifies preprocessed text with the loaded model. Thread-safe; one instance per process
/// (registered by <c>builder.AddSentimentModel()</c>).
/// </summary>
public interface ISentimentClassifier
{
    /// <summary>Name and version of the loaded model, stored with every result.</summary>
    string ModelVersion { get; }

    /// <summary>
    /// Classifies <paramref name="texts"/>, already normalised with <see cref="Text.TextPreprocessor.Normalize"/>,
    /// and writes one prediction per text into <paramref name="predictions"/> (in the same order). Long lists are
    /// split into batches of Model:MaxBatchSize; texts longer than the model's max length are truncated.
    /// </summary>
    void Classify(IReadOnlyList<string> texts, Span<SentimentPrediction> predictions);
}
