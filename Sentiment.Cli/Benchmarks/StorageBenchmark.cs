using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Sentiment.Storage;

namespace Sentiment.Cli.Benchmarks;

/// <summary>
/// What <c>sentiment bench storage</c> measures, in a database of its own on the given server: the worker's 64-row
/// INSERT into <c>sentiment_analysis</c> as shipped (with <see cref="SearchIndex"/>'s pending list merged every so
/// many batches, as the worker's flusher does every few seconds), into a copy without the trigram index, and into a copy with the
/// trigram index as it was before (PostgreSQL's 4 MB pending list, merged by the inserts themselves); then the
/// dashboard's text search over everything stored.
/// </summary>
public sealed partial class StorageBenchmark(StorageBenchmarkSettings settings, string[] texts, TextWriter output)
{
    /// <summary>
    /// The dashboard's <c>/messages</c> search for a text alone (MessageSearchQuery with only <c>q</c>); a test keeps
    /// the two the same.
    /// </summary>
    public const string SearchSql = $"""
        SELECT id, "timestamp", message_id, source, sentiment_label, sentiment_score, topic, original_text
        FROM {SentimentDbContext.ResultsTable}
        WHERE message_id IS NOT NULL AND original_text ILIKE @q
        ORDER BY "timestamp" DESC, id DESC
        LIMIT @limit
        """;

    private const string NoTrigram = "bench_no_trigram";
    private const string Before = "bench_gin_4mb";

    // Timed in rounds, the variants taking turns, so that whatever else the machine does falls on all of them alike.
    private const int CommitsPerRound = 25;

    private static readonly string[] Sources = ["twitter", "support", "reviews", "survey"];
    private static readonly string[] Labels = ["positive", "neutral", "negative"];
    private static readonly string[] Topics = ["Billing", "Shipping", "Product Quality", "Customer Service", "Website"];

    private long _sequence;

    public async Task<StorageBenchmarkResult> RunAsync(CancellationToken cancellationToken)
    {
        var server = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        var database = $"sentiment_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
        var admin = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Pooling = false }.ConnectionString;
        await ExecuteAsync(admin, $"CREATE DATABASE {database}", cancellationToken);
        output.WriteLine($"database: {database} on {server.Host}:{server.Port}");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Database = database }.ConnectionString;
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            return await MeasureAsync(dataSource, connectionString, cancellationToken);
        }
        finally
        {
            if (!settings.Keep)
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", CancellationToken.None);
            }
        }
    }

    private async Task<StorageBenchmarkResult> MeasureAsync(NpgsqlDataSource dataSource, string connectionString, CancellationToken cancellationToken)
    {
        await using (var context = new SentimentDbContext(new DbContextOptionsBuilder<SentimentDbContext>().UseNpgsql(connectionString).Options))
        {
            await context.Database.MigrateAsync(cancellationToken);
        }

        var version = (string)(await ScalarAsync(dataSource, "SHOW server_version", cancellationToken))!;
        output.WriteLine($"server: PostgreSQL {version}; schema: every migration of this build");

        var loading = Stopwatch.StartNew();
        var indexes = await IndexesAsync(dataSource, SentimentDbContext.ResultsTable, cancellationToken);
        await LoadAsync(dataSource, indexes, cancellationToken);
        await CopyAsync(dataSource, NoTrigram, indexes.Where(index => index.Name != SearchIndex.Name), cancellationToken);
        await CopyAsync(dataSource, Before, indexes, cancellationToken);
        await ExecuteAsync(dataSource, $"ALTER INDEX {Before}_{SearchIndex.Name} RESET (gin_pending_list_limit)", cancellationToken);
        foreach (var table in new[] { SentimentDbContext.ResultsTable, NoTrigram, Before })
        {
            await ExecuteAsync(dataSource, $"VACUUM (ANALYZE) {table}", cancellationToken);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loaded {settings.Rows:N0} rows into each of 3 tables in {loading.Elapsed.TotalSeconds:F0} s"));

        var inserts = await MeasureInsertsAsync(dataSource, cancellationToken);
        var search = await MeasureSearchAsync(dataSource, cancellationToken);
        return inserts with { Search = search };
    }

    private async Task<StorageBenchmarkResult> MeasureInsertsAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        string[] tables = [SentimentDbContext.ResultsTable, NoTrigram, Before];
        var times = tables.ToDictionary(table => table, _ => new List<double>());
        var flushes = new List<double>();

        var rounds = (settings.Batches + CommitsPerRound - 1) / CommitsPerRound;
        output.WriteLine($"inserting: {rounds * CommitsPerRound:N0} commits of {settings.BatchSize} rows per table, in rounds of {CommitsPerRound} taking turns; the shipped table's pending list merged every {settings.FlushEvery} of its batches");
        for (var round = 0; round < rounds; round++)
        {
            for (var turn = 0; turn < tables.Length; turn++)
            {
                var table = tables[(round + turn) % tables.Length];
                for (var i = 0; i < CommitsPerRound; i++)
                {
                    await using var command = NextBatch().CreateInsert(dataSource, "bench", DateTimeOffset.UtcNow, table);
                    var started = Stopwatch.GetTimestamp();
                    await command.ExecuteNonQueryAsync(cancellationToken);
                    times[table].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

                    // What the worker's SearchIndexFlusher does every few seconds, timed here in line rather than
                    // beside the inserts, so that its cost is not blurred by theirs.
                    if (table == SentimentDbContext.ResultsTable && times[table].Count % settings.FlushEvery == 0)
                    {
                        started = Stopwatch.GetTimestamp();
                        await ScalarAsync(dataSource, SearchIndex.FlushSql, cancellationToken);
                        flushes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                }
            }
        }

        return new StorageBenchmarkResult(
            Summarize(times[SentimentDbContext.ResultsTable]),
            Summarize(times[NoTrigram]),
            Summarize(times[Before]),
            flushes.Count,
            flushes.Sum() / times[SentimentDbContext.ResultsTable].Count,
            default);
    }

    private async Task<TimingSummary> MeasureSearchAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var stored = (long)(await ScalarAsync(dataSource, $"SELECT count(*) FROM {SentimentDbContext.ResultsTable}", cancellationToken))!;
        var random = new Random(42);
        var queries = Enumerable.Range(0, settings.Searches + WarmUpSearches).Select(_ => SearchTerm(random)).ToList();
        output.WriteLine($"searching: {settings.Searches} text searches (after {WarmUpSearches} not timed) over {stored:N0} stored rows, words and two-word phrases of the stored texts");
        var times = new List<double>();
        for (var i = 0; i < queries.Count; i++)
        {
            await using var command = dataSource.CreateCommand(SearchSql);
            command.Parameters.Add(new NpgsqlParameter<string>("q", NpgsqlDbType.Text) { TypedValue = $"%{queries[i]}%" });
            command.Parameters.Add(new NpgsqlParameter<int>("limit", 51));
            var started = Stopwatch.GetTimestamp();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    // Read every row, as the page does.
                }
            }

            if (i >= WarmUpSearches)
            {
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        return Summarize(times);
    }

    private const int WarmUpSearches = 10;

    /// <summary>
    /// A word of at least 4 letters from a stored text, or (one time in five) it and the word after it: what people
    /// search for, as common or as rare as it is in the texts. Letters and digits only, so no LIKE escaping is needed.
    /// </summary>
    private string SearchTerm(Random random)
    {
        while (true)
        {
            var words = Word().Matches(texts[random.Next(texts.Length)]).Select(match => match.Value).ToList();
            var candidates = Enumerable.Range(0, words.Count).Where(i => words[i].Length >= 4).ToList();
            if (candidates.Count == 0)
            {
                continue;
            }

            var at = candidates[random.Next(candidates.Count)];
            return random.Next(5) == 0 && at + 1 < words.Count ? $"{words[at]} {words[at + 1]}" : words[at];
        }
    }

    [GeneratedRegex(@"[\p{L}\p{Nd}]+")]
    private static partial Regex Word();

    private ResultRows NextBatch()
    {
        var rows = new ResultRows(settings.BatchSize);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < rows.Count; i++)
        {
            Fill(rows, i, Interlocked.Increment(ref _sequence), now);
        }

        return rows;
    }

    private void Fill(ResultRows rows, int i, long n, DateTimeOffset at)
    {
        rows.MessageIds[i] = string.Create(CultureInfo.InvariantCulture, $"bench-{n}");
        rows.Timestamps[i] = DateTime.SpecifyKind(at.UtcDateTime, DateTimeKind.Unspecified);
        rows.Sources[i] = Sources[n % Sources.Length];
        rows.Texts[i] = texts[n % texts.Length];
        rows.Labels[i] = Labels[n % Labels.Length];
        rows.Scores[i] = ((n % 200) - 100) / 100.0;
        rows.Confidences[i] = 0.5 + (n % 50 / 100.0);
        rows.Metadata[i] = string.Create(CultureInfo.InvariantCulture, $$"""{"user_id":"u{{n % 20_000}}"}""");
        rows.StreamIds[i] = string.Create(CultureInfo.InvariantCulture, $"{at.ToUnixTimeMilliseconds()}-{n}");
        rows.IngestedAt[i] = at;
        rows.Topics[i] = Topics[n % Topics.Length];
        rows.TopicConfidences[i] = 0.6f;
        rows.Keywords[i] = "order refund";
    }

    /// <summary>
    /// Fills <c>sentiment_analysis</c> with <see cref="StorageBenchmarkSettings.Rows"/> rows: without its indexes by
    /// binary COPY, a day of timestamps up to now, then builds them again as the migrations define them.
    /// </summary>
    private async Task LoadAsync(NpgsqlDataSource dataSource, IReadOnlyList<IndexDefinition> allIndexes, CancellationToken cancellationToken)
    {
        // The primary key's index belongs to its constraint, and stays.
        var indexes = allIndexes.Where(index => !index.Name.EndsWith("_pkey", StringComparison.Ordinal)).ToList();
        foreach (var index in indexes)
        {
            await ExecuteAsync(dataSource, $"DROP INDEX {index.Name}", cancellationToken);
        }

        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var import = await connection.BeginBinaryImportAsync(
            $"""
            COPY {SentimentDbContext.ResultsTable} (message_id, "timestamp", source, original_text, sentiment_label, sentiment_score,
                confidence, metadata, stream_id, ingested_at, topic, topic_confidence, keywords, model_version, processed_at)
            FROM STDIN (FORMAT BINARY)
            """, cancellationToken))
        {
            var rows = new ResultRows(1);
            var end = DateTimeOffset.UtcNow.AddMinutes(-1);
            for (var n = 0; n < settings.Rows; n++)
            {
                var at = end - TimeSpan.FromDays((double)(settings.Rows - n) / settings.Rows);
                Fill(rows, 0, Interlocked.Increment(ref _sequence), at);
                await import.StartRowAsync(cancellationToken);
                await import.WriteAsync(rows.MessageIds[0], NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(rows.Timestamps[0], NpgsqlDbType.Timestamp, cancellationToken);
                await import.WriteAsync(rows.Sources[0], NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(rows.Texts[0], NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(rows.Labels[0], NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(rows.Scores[0], NpgsqlDbType.Double, cancellationToken);
                await import.WriteAsync(rows.Confidences[0], NpgsqlDbType.Double, cancellationToken);
                await import.WriteAsync(rows.Metadata[0]!, NpgsqlDbType.Jsonb, cancellationToken);
                await import.WriteAsync(rows.StreamIds[0], NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(at, NpgsqlDbType.TimestampTz, cancellationToken);
                await import.WriteAsync(rows.Topics[0], NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(rows.TopicConfidences[0], NpgsqlDbType.Real, cancellationToken);
                await import.WriteAsync(rows.Keywords[0].Split(' '), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync("bench", NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(at, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await import.CompleteAsync(cancellationToken);
        }

        foreach (var index in indexes)
        {
            await ExecuteAsync(dataSource, index.Definition, cancellationToken);
        }
    }

    /// <summary>A copy of <c>sentiment_analysis</c>, rows and all, with the given indexes of it (renamed).</summary>
    private static async Task CopyAsync(NpgsqlDataSource dataSource, string table, IEnumerable<IndexDefinition> indexes, CancellationToken cancellationToken)
    {
        await ExecuteAsync(dataSource, $"CREATE TABLE {table} (LIKE {SentimentDbContext.ResultsTable} INCLUDING DEFAULTS)", cancellationToken);
        await ExecuteAsync(dataSource, $"INSERT INTO {table} SELECT * FROM {SentimentDbContext.ResultsTable}", cancellationToken);
        foreach (var index in indexes)
        {
            await ExecuteAsync(dataSource, index.Definition
                .Replace($"INDEX {index.Name} ON", $"INDEX {table}_{index.Name} ON", StringComparison.Ordinal)
                .Replace($" ON public.{SentimentDbContext.ResultsTable} ", $" ON public.{table} ", StringComparison.Ordinal), cancellationToken);
        }
    }

    /// <summary>Every index of the table, as pg_indexes gives them; a copy gets the primary key's as a unique index.</summary>
    private static async Task<List<IndexDefinition>> IndexesAsync(NpgsqlDataSource dataSource, string table, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1 ORDER BY indexname");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        var indexes = new List<IndexDefinition>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            indexes.Add(new IndexDefinition(reader.GetString(0), reader.GetString(1)));
        }

        return indexes;
    }

    private static TimingSummary Summarize(List<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        double At(double quantile) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
        return new TimingSummary(sorted.Length, sorted.Average(), At(0.5), At(0.95), At(0.99), sorted[^1]);
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private sealed record IndexDefinition(string Name, string Definition);
}

/// <summary>What to measure, from the command's options.</summary>
public sealed record StorageBenchmarkSettings(
    string ConnectionString, int Rows, int Batches, int BatchSize, int Searches, int FlushEvery, bool Keep);

/// <summary>Milliseconds: the mean and quantiles of <paramref name="Count"/> timings.</summary>
public readonly record struct TimingSummary(int Count, double Mean, double P50, double P95, double P99, double Max);

/// <param name="Shipped">One batch's INSERT into <c>sentiment_analysis</c> as the migrations leave it.</param>
/// <param name="NoTrigram">The same without the trigram index.</param>
/// <param name="Before">The same with the trigram index as it was before (4 MB pending list, no flusher).</param>
/// <param name="FlushMillisecondsPerBatch">The flusher's time, shared out over the shipped table's batches.</param>
public sealed record StorageBenchmarkResult(
    TimingSummary Shipped, TimingSummary NoTrigram, TimingSummary Before, int Flushes, double FlushMillisecondsPerBatch, TimingSummary Search);
