using System.CommandLine;
using System.Globalization;
using Sentiment.Model.Classification;

namespace Sentiment.Cli.Benchmarks;

/// <summary>
/// <c>sentiment bench --model &lt;folder&gt;</c>: throughput at batch sizes 1, 32 and 256 with 1 and 2 intra-op
/// threads, then single-message latency. The last line is what docs/benchmarks.md and scripts read.
/// <c>sentiment bench storage</c> benchmarks the results table instead (<see cref="StorageBenchCommand"/>).
/// </summary>
public static class BenchCommand
{
    private static readonly int[] BatchSizes = [1, 32, 256];
    private static readonly int[] ThreadCounts = [1, 2];

    /// <summary>The batch size whose throughput the last line reports.</summary>
    private const int ReportedBatchSize = 32;

    public static Command Create()
    {
        var model = ModelArguments.ModelOption();
        var duration = new Option<double>("--duration")
        {
            Description = "Seconds each measurement runs (after its warm-up).",
            DefaultValueFactory = _ => 3.0,
        };
        duration.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is <= 0 or > 600)
            {
                result.AddError("--duration must be more than 0 and at most 600 seconds.");
            }
        });
        var iterations = new Option<int?>("--iterations")
        {
            Description = "Run each measurement for this many batches (latency: this many calls) instead of --duration.",
        };
        iterations.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--iterations must be at least 1.");
            }
        });
        var messages = new Option<int>("--messages")
        {
            Description = "How many distinct generated messages to cycle through.",
            DefaultValueFactory = _ => 4096,
        };

        var command = new Command("bench", "Benchmark the model on generated tweet-length messages. The last line is: single_thread_msgs_per_s=… two_thread_msgs_per_s=… p50_ms=… p99_ms=…")
        {
            model,
            duration,
            iterations,
            messages,
            StorageBenchCommand.Create(),
        };
        command.SetAction(parseResult => Run(
            parseResult,
            ModelArguments.ModelPath(parseResult, model),
            TimeSpan.FromSeconds(parseResult.GetValue(duration)),
            parseResult.GetValue(iterations),
            Math.Max(1, parseResult.GetValue(messages))));
        return command;
    }

    private static int Run(ParseResult parseResult, string modelPath, TimeSpan duration, int? iterations, int messageCount)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var texts = TweetCorpus.Generate(messageCount);
        var benchmark = new ModelBenchmark(texts, duration, iterations);
        var throughput = new Dictionary<(int Threads, int BatchSize), double>();
        LatencyResult latency = default;

        foreach (var threads in ThreadCounts)
        {
            OnnxSentimentClassifier classifier;
            try
            {
                classifier = OnnxSentimentClassifier.Create(new ModelOptions
                {
                    Path = modelPath,
                    MaxBatchSize = BatchSizes[^1],
                    IntraOpThreads = threads,
                    InterOpThreads = 1,
                });
            }
            catch (ModelLoadException e)
            {
                return ModelArguments.Fail(parseResult, e.Message);
            }

            using (classifier)
            {
                if (threads == ThreadCounts[0])
                {
                    WriteHeader(output, classifier, texts, duration, iterations);
                }

                foreach (var batchSize in BatchSizes)
                {
                    var result = benchmark.MeasureThroughput(classifier, batchSize);
                    throughput[(threads, batchSize)] = result.MessagesPerSecond;
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{threads,7}{batchSize,7}{result.Messages,10}{result.Elapsed.TotalSeconds,10:F2}{result.MessagesPerSecond,12:F0}"));
                }

                if (threads == 1)
                {
                    // Latency on one thread: the worst case a busy worker sees per message.
                    latency = benchmark.MeasureLatency(classifier);
                }
            }
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"single-message latency, 1 intra-op thread, {latency.Samples} calls: p50 {latency.P50Milliseconds:F2} ms, p99 {latency.P99Milliseconds:F2} ms"));
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"single_thread_msgs_per_s={throughput[(1, ReportedBatchSize)]:F0} two_thread_msgs_per_s={throughput[(2, ReportedBatchSize)]:F0} p50_ms={latency.P50Milliseconds:F2} p99_ms={latency.P99Milliseconds:F2}"));
        return 0;
    }

    private static void WriteHeader(TextWriter output, OnnxSentimentClassifier classifier, string[] texts, TimeSpan duration, int? iterations)
    {
        long characters = 0;
        long tokens = 0;
        foreach (var text in texts)
        {
            characters += text.Length;
            tokens += classifier.Folder.Tokenizer.Encode(Model.Text.TextPreprocessor.Normalize(text)).Count;
        }

        var invariant = CultureInfo.InvariantCulture;
        output.WriteLine($"model: {classifier.ModelVersion} ({classifier.Folder.Path}) on {classifier.ExecutionProvider}, max length {classifier.Folder.MaxLength}");
        output.WriteLine(string.Create(invariant, $"texts: {texts.Length} generated tweet-length messages, mean {(double)characters / texts.Length:F0} characters, {(double)tokens / texts.Length:F1} tokens"));
        output.WriteLine(string.Create(invariant, $"cpu:   {Environment.ProcessorCount} logical processors; each measurement: 3 warm-up batches, then {(iterations is { } n ? $"{n} batch(es)" : $"{duration.TotalSeconds:F1} s")}"));
        output.WriteLine();
        output.WriteLine($"{"threads",7}{"batch",7}{"messages",10}{"seconds",10}{"msgs/s",12}");
    }
}
