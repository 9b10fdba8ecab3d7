using System.Text.RegularExpressions;
using Npgsql;
using Sentiment.Cli.Benchmarks;
using Sentiment.Dashboard.Queries;
using Sentiment.Tests.Infrastructure;

namespace Sentiment.Tests.Cli;

[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class StorageBenchCommandTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public void Search_the_bench_times_is_the_dashboards_text_search()
    {
        using var dataSource = NpgsqlDataSource.Create("Host=localhost;Database=never_opened");
        using var command = new MessageSearchQuery(dataSource).CreateCommand(new SentimentFilter(Text: "refund"), null, 50);

        Assert.Equal(StorageBenchmark.SearchSql, command.CommandText);
        Assert.Equal(["q", "limit"], command.Parameters.Select(parameter => parameter.ParameterName));
    }

    [Fact]
    public async Task Short_run_prints_each_tables_insert_cost_and_the_search_times_last_and_drops_its_database()
    {
        var run = CommandRun.Of(
            "bench", "storage", "--connection", infrastructure.PostgresAdminConnectionString,
            "--rows", "2000", "--batches", "25", "--batch-size", "16", "--searches", "5", "--flush-every", "10");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains(run.OutputLines, line => line.StartsWith("sentiment_analysis (as shipped) ", StringComparison.Ordinal));
        Assert.Contains(run.OutputLines, line => line.StartsWith("without the trigram index ", StringComparison.Ordinal));
        Assert.Contains(run.OutputLines, line => line.StartsWith("merges:  2, ", StringComparison.Ordinal));
        Assert.Matches(SummaryLine(), run.LastLine);
        var database = Regex.Match(run.Output, @"database: (sentiment_bench_\d+)").Groups[1].Value;
        await using var connection = new NpgsqlConnection(infrastructure.PostgresAdminConnectionString);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        Assert.Equal(0L, await exists.ExecuteScalarAsync());
    }

    [GeneratedRegex(@"^insert_ms=\d+\.\d\d no_trigram_ms=\d+\.\d\d ratio=\d+\.\d\d with_merge_ratio=\d+\.\d\d before_ms=\d+\.\d\d before_ratio=\d+\.\d\d search_p50_ms=\d+\.\d search_p95_ms=\d+\.\d$")]
    private static partial Regex SummaryLine();
}
