using Sentiment.Cli.Evaluation;
using Sentiment.Contracts;
using Sentiment.Model.Classification;

namespace Sentiment.Tests.Cli;

/// <summary>Scoring rules, with a classifier that answers from a script so the expected figures are exact.</summary>
public sealed class EvaluatorTests : IDisposable
{
    private readonly Sentiment.Tests.Model.TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Binary_file_scores_positive_when_p_positive_is_at_least_p_negative_even_if_neutral_wins()
    {
        var dataset = Write("label\ttext\npositive\tmostly neutral, leaning positive\nnegative\tmostly neutral, leaning negative\npositive\ta tie\n");
        var classifier = new ScriptedClassifier(new Dictionary<string, SentimentPrediction>
        {
            ["mostly neutral, leaning positive"] = Prediction(0.1f, 0.6f, 0.3f),
            ["mostly neutral, leaning negative"] = Prediction(0.3f, 0.6f, 0.1f),
            ["a tie"] = Prediction(0.25f, 0.5f, 0.25f),
        });

        var report = Evaluator.Evaluate(classifier, dataset);

        Assert.True(dataset.IsBinary);
        Assert.Equal([SentimentLabel.Negative, SentimentLabel.Positive], report.Classes);
        Assert.Equal("accuracy=1.0000 macro_recall=1.0000 macro_f1=1.0000 n=3", report.SummaryLine());
    }

    [Fact]
    public void Three_class_file_uses_the_predicted_label_and_averages_over_three_classes()
    {
        var dataset = Write("label\ttext\nneutral\tn1\nneutral\tn2\npositive\tp1\nnegative\tx1\n");
        var classifier = new ScriptedClassifier(new Dictionary<string, SentimentPrediction>
        {
            ["n1"] = Prediction(0.1f, 0.6f, 0.3f),
            ["n2"] = Prediction(0.1f, 0.3f, 0.6f),
            ["p1"] = Prediction(0.1f, 0.3f, 0.6f),
            ["x1"] = Prediction(0.2f, 0.5f, 0.3f),
        });

        var report = Evaluator.Evaluate(classifier, dataset);

        // recall: negative 0/1, neutral 1/2, positive 1/1 → 0.5; precision: negative 0, neutral 1/2, positive 1/2;
        // F1: negative 0, neutral 0.5, positive 2/3 → macro 0.3889.
        Assert.False(dataset.IsBinary);
        Assert.Equal(1, report[SentimentLabel.Neutral, SentimentLabel.Positive]);
        Assert.Equal(1, report[SentimentLabel.Negative, SentimentLabel.Neutral]);
        Assert.Equal("accuracy=0.5000 macro_recall=0.5000 macro_f1=0.3889 n=4", report.SummaryLine());
    }

    [Fact]
    public void Texts_reach_the_classifier_preprocessed()
    {
        var dataset = Write("label\ttext\npositive\t  thanks @jdoe https://t.co/x &amp; more  \n");
        var classifier = new ScriptedClassifier(new Dictionary<string, SentimentPrediction>
        {
            ["thanks @user http & more"] = Prediction(0.1f, 0.1f, 0.8f),
        });

        var report = Evaluator.Evaluate(classifier, dataset);

        Assert.Equal("accuracy=1.0000 macro_recall=1.0000 macro_f1=1.0000 n=1", report.SummaryLine());
    }

    private LabelledDataset Write(string content) => LabelledDataset.Read(_folder.Write("data.tsv", content));

    private static SentimentPrediction Prediction(float negative, float neutral, float positive)
    {
        var label = negative > neutral && negative > positive ? SentimentLabel.Negative
            : neutral > positive ? SentimentLabel.Neutral
            : SentimentLabel.Positive;
        var confidence = Math.Max(negative, Math.Max(neutral, positive));
        return new SentimentPrediction(label, confidence, positive - negative, negative, neutral, positive);
    }

    /// <summary>Answers each known text with its scripted prediction; an unknown text fails the test.</summary>
    private sealed class ScriptedClassifier(Dictionary<string, SentimentPrediction> answers) : ISentimentClassifier
    {
        public string ModelVersion => "scripted@1";

        public void Classify(IReadOnlyList<string> texts, Span<SentimentPrediction> predictions)
        {
            for (var i = 0; i < texts.Count; i++)
            {
                Assert.True(answers.TryGetValue(texts[i], out var prediction), $"Unexpected text reached the classifier: '{texts[i]}'.");
                predictions[i] = prediction;
            }
        }
    }
}
