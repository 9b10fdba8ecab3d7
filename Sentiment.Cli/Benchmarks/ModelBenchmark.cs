using System.Diagnostics;
using Sentiment.Model.Classification;
using Sentiment.Model.Text;

namespace Sentiment.Cli.Benchmarks;

/// <summary>
/// Measures what a worker pays per message: preprocessing, tokenising and the model run, over the generated
/// texts. Each measurement warms up first and then runs for a fixed time, or a fixed number of batches.
/// </summary>
public sealed class ModelBenchmark(string[] texts, TimeSpan duration, int? iterations)
{
    private const int WarmUpBatches = 3;

    private int _next;

    /// <summary>Messages per second classifying batches of <paramref name="batchSize"/>.</summary>
    public ThroughputResult MeasureThroughput(ISentimentClassifier classifier, int batchSize)
    {
        var batch = new string[batchSize];
        var predictions = new SentimentPrediction[batchSize];
        for (var i = 0; i < WarmUpBatches; i++)
        {
            RunBatch(classifier, batch, predictions);
        }

        var batches = 0;
        var started = Stopwatch.GetTimestamp();
        while (KeepGoing(batches, started))
        {
            RunBatch(classifier, batch, predictions);
            batches++;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        return new ThroughputResult(batchSize, batches * batchSize, elapsed);
    }

    /// <summary>Time for one message on its own, call by call.</summary>
    public LatencyResult MeasureLatency(ISentimentClassifier classifier)
    {
        var batch = new string[1];
        var predictions = new SentimentPrediction[1];
        for (var i = 0; i < WarmUpBatches; i++)
        {
            RunBatch(classifier, batch, predictions);
        }

        var samples = new List<double>(iterations ?? 4096);
        var started = Stopwatch.GetTimestamp();
        while (KeepGoing(samples.Count, started))
        {
            var callStarted = Stopwatch.GetTimestamp();
            RunBatch(classifier, batch, predictions);
            samples.Add(Stopwatch.GetElapsedTime(callStarted).TotalMilliseconds);
        }

        samples.Sort();
        return new LatencyResult(samples.Count, Percentile(samples, 0.50), Percentile(samples, 0.99));
    }

    private bool KeepGoing(int done, long started) =>
        iterations is { } count ? done < count : done == 0 || Stopwatch.GetElapsedTime(started) < duration;

    private void RunBatch(ISentimentClassifier classifier, string[] batch, SentimentPrediction[] predictions)
    {
        for (var i = 0; i < batch.Length; i++)
        {
            batch[i] = TextPreprocessor.Normalize(texts[_next]);
            _next = (_next + 1) % texts.Length;
        }

        classifier.Classify(batch, predictions);
    }

    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    private static double Percentile(List<double> sorted, double fraction)
    {
        var rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

public readonly record struct ThroughputResult(int BatchSize, int Messages, TimeSpan Elapsed)
{
    public double MessagesPerSecond => Messages / Elapsed.TotalSeconds;
}

public readonly record struct LatencyResult(int Samples, double P50Milliseconds, double P99Milliseconds);
