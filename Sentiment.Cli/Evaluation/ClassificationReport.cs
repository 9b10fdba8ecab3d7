using System.Globalization;
using Sentiment.Contracts;

namespace Sentiment.Cli.Evaluation;

/// <summary>Confusion matrix and per-class precision, recall and F1 over a fixed set of classes.</summary>
public sealed class ClassificationReport
{
    private readonly int[,] _confusion;

    public ClassificationReport(IReadOnlyList<SentimentLabel> classes, IReadOnlyList<SentimentLabel> expected, IReadOnlyList<SentimentLabel> predicted)
    {
        if (expected.Count != predicted.Count)
        {
            throw new ArgumentException($"{expected.Count} expected labels but {predicted.Count} predictions.", nameof(predicted));
        }

        Classes = classes;
        _confusion = new int[classes.Count, classes.Count];
        for (var i = 0; i < expected.Count; i++)
        {
            _confusion[IndexOf(expected[i]), IndexOf(predicted[i])]++;
        }

        Count = expected.Count;
    }

    public IReadOnlyList<SentimentLabel> Classes { get; }

    public int Count { get; }

    /// <summary>How many texts of class <paramref name="expected"/> were predicted as <paramref name="predicted"/>.</summary>
    public int this[SentimentLabel expected, SentimentLabel predicted] => _confusion[IndexOf(expected), IndexOf(predicted)];

    public double Accuracy
    {
        get
        {
            var correct = 0;
            for (var c = 0; c < Classes.Count; c++)
            {
                correct += _confusion[c, c];
            }

            return Count == 0 ? 0 : (double)correct / Count;
        }
    }

    public int Support(SentimentLabel label)
    {
        var c = IndexOf(label);
        var total = 0;
        for (var p = 0; p < Classes.Count; p++)
        {
            total += _confusion[c, p];
        }

        return total;
    }

    public int PredictedCount(SentimentLabel label)
    {
        var p = IndexOf(label);
        var total = 0;
        for (var c = 0; c < Classes.Count; c++)
        {
            total += _confusion[c, p];
        }

        return total;
    }

    /// <summary>0 when nothing was predicted as <paramref name="label"/> (scikit-learn's zero_division=0).</summary>
    public double Precision(SentimentLabel label) => Ratio(_confusion[IndexOf(label), IndexOf(label)], PredictedCount(label));

    public double Recall(SentimentLabel label) => Ratio(_confusion[IndexOf(label), IndexOf(label)], Support(label));

    public double F1(SentimentLabel label)
    {
        var precision = Precision(label);
        var recall = Recall(label);
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    /// <summary>Mean recall over the classes that occur in the data or the predictions (as scikit-learn averages).</summary>
    public double MacroRecall => MacroAverage(Recall);

    public double MacroF1 => MacroAverage(F1);

    /// <summary>The table, the confusion matrix, and last the summary line the scripts read.</summary>
    public void WriteTo(TextWriter writer)
    {
        var invariant = CultureInfo.InvariantCulture;
        writer.WriteLine(string.Create(invariant, $"{"class",-10}{"precision",10}{"recall",10}{"f1",10}{"support",10}"));
        foreach (var label in Classes)
        {
            writer.WriteLine(string.Create(invariant, $"{SentimentLabels.Name(label),-10}{Precision(label),10:F4}{Recall(label),10:F4}{F1(label),10:F4}{Support(label),10}"));
        }

        writer.WriteLine();
        writer.WriteLine("confusion matrix (rows: true label, columns: predicted label)");
        writer.Write($"{"",-10}");
        foreach (var label in Classes)
        {
            writer.Write($"{SentimentLabels.Name(label),10}");
        }

        writer.WriteLine();
        foreach (var expected in Classes)
        {
            writer.Write($"{SentimentLabels.Name(expected),-10}");
            foreach (var predicted in Classes)
            {
                writer.Write(string.Create(invariant, $"{this[expected, predicted],10}"));
            }

            writer.WriteLine();
        }

        writer.WriteLine();
        writer.WriteLine(SummaryLine());
    }

    public string SummaryLine() =>
        string.Create(CultureInfo.InvariantCulture, $"accuracy={Accuracy:F4} macro_recall={MacroRecall:F4} macro_f1={MacroF1:F4} n={Count}");

    private double MacroAverage(Func<SentimentLabel, double> metric)
    {
        var sum = 0.0;
        var classes = 0;
        foreach (var label in Classes)
        {
            if (Support(label) > 0 || PredictedCount(label) > 0)
            {
                sum += metric(label);
                classes++;
            }
        }

        return classes == 0 ? 0 : sum / classes;
    }

    private int IndexOf(SentimentLabel label)
    {
        for (var i = 0; i < Classes.Count; i++)
        {
            if (Classes[i] == label)
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(label), label, "Not one of this report's classes.");
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
