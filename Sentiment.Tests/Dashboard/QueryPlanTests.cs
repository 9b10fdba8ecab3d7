using System.Text.Json;
using Npgsql;
using Sentiment.Dashboard.Queries;
using Sentiment.Dashboard.Trending;
using Sentiment.Tests.Dashboard.Support;
using Sentiment.Tests.Infrastructure;

namespace Sentiment.Tests.Dashboard;

/// <summary>
/// The read queries for a one-hour window reach sentiment_analysis through its indexes, never by reading the whole
/// table: checked with EXPLAIN on a table of 30 days of rows, analysed, so the planner has real statistics.
/// </summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class QueryPlanTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private const int Rows = 100_000;
    private static readonly DateTimeOffset End = new(2026, 3, 31, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Sources = ["web", "app", "email", "twitter", "support"];
    private static readonly string[] Labels = ["positive", "neutral", "negative"];
    private static readonly string[] Topics = ["billing", "delivery", "login", "battery", "support", "pricing", "ui", "general"];
    private static readonly string[] Words = ["great", "slow", "refund", "crash", "love", "late", "broken", "fast", "price", "friendly"];

    private DashboardDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _database = await DashboardDatabase.CreateAsync(infrastructure);
        var random = new Random(7);
        var span = TimeSpan.FromDays(30);
        await _database.InsertAsync(Enumerable.Range(0, Rows).Select(i =>
        {
            var timestamp = End - span + (span * i / Rows);
            return new SeedResult(
                $"m{i}",
                timestamp,
                Sources[random.Next(Sources.Length)],
                Labels[random.Next(Labels.Length)],
                Math.Round((random.NextDouble() * 2) - 1, 3),
                Topics[random.Next(Topics.Length)],
                $"{Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]} order {i}",
                [Words[random.Next(Words.Length)], Words[random.Next(Words.Length)]],
                timestamp.AddSeconds(1));
        }));
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task One_hour_window_queries_read_no_whole_table()
    {
        var window = new SentimentFilter(From: End.AddHours(-1), To: End);
        var time = TimeProvider.System;
        var statements = new List<(string Name, NpgsqlCommand Command)>
        {
            ("over time", new SentimentOverTimeQuery(_dataSource, time).CreateCommand(window, BucketSize.Minute)),
            ("top topics", new TopTopicsQuery(_dataSource).CreateCommand(window, 10)),
            ("sources by label", new SourcesQuery(_dataSource).CreateByLabelCommand(window with { Label = "negative" }, 10)),
            ("search", new MessageSearchQuery(_dataSource).CreateCommand(window, null, 50)),
            ("search, next page", new MessageSearchQuery(_dataSource).CreateCommand(window, new MessageCursor(End.AddMinutes(-30), Rows - 1000), 50)),
            ("search for text", new MessageSearchQuery(_dataSource).CreateCommand(window with { Text = "refund", Source = "web" }, null, 50)),
        };
        await using var metrics = new MetricsQuery(_dataSource, time).CreateBatch(window with { Topic = "billing" });
        for (var i = 0; i < metrics.BatchCommands.Count; i++)
        {
            statements.Add(($"metrics {i}", ToCommand(metrics.BatchCommands[i].CommandText, metrics.BatchCommands[i].Parameters)));
        }

        // The trending statement, with the parameters TrendingKeywordsQuery gives it for this hour and 24 before.
        var trending = new NpgsqlCommand(TrendingKeywordsQuery.Sql);
        foreach (var instant in new[] { End.AddHours(-25), End.AddHours(-1), End })
        {
            trending.Parameters.Add(new NpgsqlParameter
            {
                Value = DateTime.SpecifyKind(instant.UtcDateTime, DateTimeKind.Unspecified),
                NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Timestamp,
            });
        }

        trending.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Varchar });
        trending.Parameters.Add(new NpgsqlParameter<long> { TypedValue = new TrendingOptions().MinCount });
        statements.Add(("trending keywords", trending));

        foreach (var (name, command) in statements)
        {
            var plan = await ExplainAsync(command);
            Assert.True(
                !plan.Any(node => node.Type == "Seq Scan" && node.Relation == "sentiment_analysis"),
                $"The {name} query scans the whole of sentiment_analysis: {string.Join(", ", plan)}");
            Assert.Contains(plan, node => node.Index is not null && node.Relation is "sentiment_analysis" or null);
            command.Dispose();
        }
    }

    [Fact]
    public async Task Text_search_over_all_time_uses_the_trigram_index()
    {
        await using var command = new MessageSearchQuery(_dataSource).CreateCommand(new SentimentFilter(Text: "order 4242"), null, 50);

        var plan = await ExplainAsync(command);

        Assert.Contains(plan, node => node.Index == "idx_original_text_trgm");
        Assert.DoesNotContain(plan, node => node.Type == "Seq Scan" && node.Relation == "sentiment_analysis");
    }

    [Fact]
    public async Task A_one_hour_window_counts_exactly_the_rows_inside_it()
    {
        // The plans above are only worth something if the window is the one intended: row i is written at
        // i × 30 days / 100,000 after the start, so the last hour holds rows 99,862 to 99,999.
        var metrics = await new MetricsQuery(_dataSource, TimeProvider.System).GetAsync(new SentimentFilter(From: End.AddHours(-1), To: End));

        Assert.Equal(138, metrics.Total);
    }

    private NpgsqlCommand ToCommand(string sql, NpgsqlParameterCollection parameters)
    {
        var command = _dataSource.CreateCommand(sql);
        foreach (NpgsqlParameter parameter in parameters)
        {
            command.Parameters.Add(parameter.Clone());
        }

        return command;
    }

    private async Task<List<PlanNode>> ExplainAsync(NpgsqlCommand command)
    {
        await using var explain = ToCommand("EXPLAIN (FORMAT JSON) " + command.CommandText, command.Parameters);
        var json = (string)(await explain.ExecuteScalarAsync())!;
        var nodes = new List<PlanNode>();
        using var document = JsonDocument.Parse(json);
        Collect(document.RootElement[0].GetProperty("Plan"), nodes);
        return nodes;
    }

    private static void Collect(JsonElement node, List<PlanNode> nodes)
    {
        nodes.Add(new PlanNode(
            node.GetProperty("Node Type").GetString()!,
            node.TryGetProperty("Relation Name", out var relation) ? relation.GetString() : null,
            node.TryGetProperty("Index Name", out var index) ? index.GetString() : null));
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                Collect(child, nodes);
            }
        }
    }

    private sealed record PlanNode(string Type, string? Relation, string? Index)
    {
        public override string ToString() => $"{Type}{(Relation is null ? "" : " on " + Relation)}{(Index is null ? "" : " using " + Index)}";
    }
}
