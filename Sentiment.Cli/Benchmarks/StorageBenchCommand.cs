using System.CommandLine;
using System.Globalization;
using Npgsql;

namespace Sentiment.Cli.Benchmarks;

/// <summary>
/// <c>sentiment bench storage --connection &lt;PostgreSQL&gt;</c>: the cost of the worker's batch INSERT with and
/// without the text search index, and the dashboard's text search over a million rows (<see cref="StorageBenchmark"/>).
/// The last line is what docs/benchmarks.md and scripts read.
/// </summary>
public static class StorageBenchCommand
{
    public const string ConnectionVariable = "ConnectionStrings__sentimentdb";

    public static Command Create()
    {
        var connection = new Option<string?>("--connection")
        {
            Description = $"PostgreSQL connection string of a server where a database may be created and dropped (the user needs CREATEDB). Default: the {ConnectionVariable} environment variable.",
            HelpName = "connection",
        };
        var rows = PositiveOption("--rows", "Rows stored in each table before anything is timed.", 1_000_000);
        var batches = PositiveOption("--batches", "Batches inserted into each table (in rounds of 25, the tables taking turns).", 1_000);
        var batchSize = PositiveOption("--batch-size", "Rows per INSERT, as Worker:BatchSize.", 64);
        var searches = PositiveOption("--searches", "Text searches timed.", 200);
        var texts = new Option<FileInfo?>("--texts")
        {
            Description = "Message texts, one a line. Default: generated tweet-length messages (templated, so more alike than real ones).",
            HelpName = "file",
        };
        var flushEvery = PositiveOption(
            "--flush-every",
            "Batches between merges of the search index's pending list (the worker merges every Worker:SearchIndexFlushInterval, 2 s: 100 batches is 2 s at 3,200 messages/s).",
            100);
        var keep = new Option<bool>("--keep") { Description = "Keep the benchmark's database instead of dropping it." };

        var command = new Command(
            "storage",
            "Benchmark the results table: the worker's batch INSERT with and without the text search index, and the dashboard's text search. The last line is: insert_ms=… no_trigram_ms=… ratio=… with_merge_ratio=… before_ms=… before_ratio=… search_p50_ms=… search_p95_ms=…")
        {
            connection, rows, batches, batchSize, searches, texts, flushEvery, keep,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var connectionString = parse.GetValue(connection) ?? Environment.GetEnvironmentVariable(ConnectionVariable);
            if (string.IsNullOrEmpty(connectionString))
            {
                return Task.FromResult(ModelArguments.Fail(parse, $"give --connection <PostgreSQL connection string> or set {ConnectionVariable}."));
            }

            var settings = new StorageBenchmarkSettings(
                connectionString, parse.GetValue(rows), parse.GetValue(batches), parse.GetValue(batchSize), parse.GetValue(searches),
                parse.GetValue(flushEvery), parse.GetValue(keep));
            return RunAsync(parse, settings, parse.GetValue(texts), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, StorageBenchmarkSettings settings, FileInfo? textFile, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        string[] texts;
        if (textFile is null)
        {
            texts = TweetCorpus.Generate(20_000);
        }
        else if (!textFile.Exists)
        {
            return ModelArguments.Fail(parse, $"{textFile.FullName} does not exist.");
        }
        else
        {
            // PostgreSQL text holds no NUL.
            texts = [.. (await File.ReadAllLinesAsync(textFile.FullName, cancellationToken))
                .Select(line => line.Replace("\0", "", StringComparison.Ordinal).Trim())
                .Where(line => line.Length > 0)];
            if (texts.Length == 0)
            {
                return ModelArguments.Fail(parse, $"{textFile.FullName} holds no text.");
            }
        }

        var invariant = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(invariant, $"texts: {texts.Length:N0} {(textFile is null ? "generated" : "from " + textFile.Name)}, mean {texts.Average(text => text.Length):F0} characters"));
        output.WriteLine($"cpu:   {Environment.ProcessorCount} logical processors (this machine; the server's may differ)");

        StorageBenchmarkResult result;
        try
        {
            result = await new StorageBenchmark(settings, texts, output).RunAsync(cancellationToken);
        }
        catch (NpgsqlException exception)
        {
            return ModelArguments.Fail(parse, $"PostgreSQL: {exception.Message}");
        }

        output.WriteLine();
        output.WriteLine($"{"table",-44}{"batches",9}{"mean ms",9}{"p50",8}{"p95",8}{"p99",8}{"max",8}");
        Row(output, "sentiment_analysis (as shipped)", result.Shipped);
        Row(output, "without the trigram index", result.NoTrigram);
        Row(output, "trigram index as before (4 MB, no flusher)", result.Before);
        output.WriteLine(string.Create(invariant,
            $"merges:  {result.Flushes}, {result.FlushMillisecondsPerBatch:F2} ms per shipped batch; the shipped table's batch with its share: {result.Shipped.Mean + result.FlushMillisecondsPerBatch:F2} ms"));
        output.WriteLine(string.Create(invariant,
            $"search:  {result.Search.Count} text searches, p50 {result.Search.P50:F1} ms, p95 {result.Search.P95:F1} ms, p99 {result.Search.P99:F1} ms, max {result.Search.Max:F1} ms"));
        output.WriteLine(string.Create(invariant,
            $"insert_ms={result.Shipped.Mean:F2} no_trigram_ms={result.NoTrigram.Mean:F2} ratio={result.Shipped.Mean / result.NoTrigram.Mean:F2} with_merge_ratio={(result.Shipped.Mean + result.FlushMillisecondsPerBatch) / result.NoTrigram.Mean:F2} before_ms={result.Before.Mean:F2} before_ratio={result.Before.Mean / result.NoTrigram.Mean:F2} search_p50_ms={result.Search.P50:F1} search_p95_ms={result.Search.P95:F1}"));
        return 0;
    }

    private static void Row(TextWriter output, string name, TimingSummary timing) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-44}{timing.Count,9}{timing.Mean,9:F2}{timing.P50,8:F2}{timing.P95,8:F2}{timing.P99,8:F2}{timing.Max,8:F1}"));

    private static Option<int> PositiveOption(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"{name} must be at least 1.");
            }
        });
        return option;
    }
}
