using System.Globalization;
using Sentiment.Contracts;

namespace Sentiment.Cli.Topics;

/// <summary>Per-topic recall and precision, recall by sentiment, and the accuracy line the scripts read.</summary>
public sealed class TopicReport
{
    private readonly IReadOnlyList<string> _topics;
    private readonly IReadOnlyList<TopicExample> _examples;
    private readonly IReadOnlyList<string> _predicted;

    public TopicReport(IReadOnlyList<string> topics, IReadOnlyList<TopicExample> examples, IReadOnlyList<string> predicted)
    {
        if (examples.Count != predicted.Count)
        {
            throw new ArgumentException($"{examples.Count} examples but {predicted.Count} predictions.", nameof(predicted));
        }

        _topics = topics;
        _examples = examples;
        _predicted = predicted;
    }

    public int Count => _examples.Count;

    public int Correct => Enumerable.Range(0, Count).Count(i => _examples[i].Topic == _predicted[i]);

    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;

    public double Recall(string topic) => Ratio(Enumerable.Range(0, Count).Count(i => _examples[i].Topic == topic && _predicted[i] == topic), Support(topic));

    public int Support(string topic) => _examples.Count(example => example.Topic == topic);

    public double Precision(string topic) =>
        Ratio(Enumerable.Range(0, Count).Count(i => _examples[i].Topic == topic && _predicted[i] == topic), _predicted.Count(p => p == topic));

    public void WriteTo(TextWriter writer)
    {
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"topic",-18}{"recall",8}{"precision",11}{"support",9}"));
        foreach (var topic in _topics)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{topic,-18}{Recall(topic),8:F4}{Precision(topic),11:F4}{Support(topic),9}"));
        }

        writer.WriteLine();
        writer.WriteLine("accuracy by sentiment");
        foreach (var sentiment in SentimentLabels.All)
        {
            var indexes = Enumerable.Range(0, Count).Where(i => _examples[i].Sentiment == sentiment).ToList();
            var correct = indexes.Count(i => _examples[i].Topic == _predicted[i]);
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{sentiment,-18}{Ratio(correct, indexes.Count),8:F4}{"",11}{indexes.Count,9}"));
        }

        writer.WriteLine();
        writer.WriteLine(SummaryLine());
    }

    public string SummaryLine() => string.Create(CultureInfo.InvariantCulture, $"accuracy={Accuracy:F4} n={Count}");

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
