using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Sentiment.Dashboard.Trending;
using Sentiment.Tests.Infrastructure;

namespace Sentiment.Tests.Dashboard.Trending;

[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class TrendingKeywordsQueryTests(InfrastructureFixture infrastructure)
{
    private static readonly DateTimeOffset WindowEnd = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task Term_that_spikes_in_the_last_window_ranks_first_and_a_steady_frequent_term_is_not_trending()
    {
        await using var database = await TrendingDatabase.CreateAsync(infrastructure);
        var rows = new List<KeywordRow>();
        for (var hour = 0; hour < 25; hour++)
        {
            var at = WindowEnd - (Hour * (hour + 1)) + TimeSpan.FromMinutes(30); // hour 0 is the current window
            rows.AddRange(KeywordRow.Repeat("refund", at, 10));                  // steady and the most frequent
            rows.AddRange(KeywordRow.Repeat("delivery", at, 5));
            rows.AddRange(KeywordRow.Repeat("outage", at, hour == 0 ? 30 : 1));  // the spike
            rows.AddRange(KeywordRow.Repeat("app", at, hour == 0 ? 8 : 2));      // a milder rise
        }

        rows.AddRange(KeywordRow.Repeat("typo", WindowEnd - TimeSpan.FromMinutes(5), 2));            // new, but below the minimum count
        rows.AddRange(KeywordRow.Repeat("outage", WindowEnd, 50));                                   // the window is half-open
        rows.AddRange(KeywordRow.Repeat("outage", WindowEnd - (Hour * 25) - TimeSpan.FromSeconds(1), 50)); // before the trailing windows
        await database.InsertAsync(rows);

        var trending = await database.Query().GetAsync(WindowEnd, Hour, trailingWindows: 24, source: null, top: 10);

        // Current window: refund 10, delivery 5, outage 30, app 8, typo 2 = 55 keywords; trailing: 240 + 120 + 24 + 48 = 432.
        Assert.Equal(
        [
            new TrendingKeyword("outage", 30, 24, LogLikelihood.GSquared(30, 24, 55, 432)),
            new TrendingKeyword("app", 8, 48, LogLikelihood.GSquared(8, 48, 55, 432)),
        ],
        trending);
    }

    [Fact]
    public async Task Only_the_requested_source_is_counted()
    {
        await using var database = await TrendingDatabase.CreateAsync(infrastructure);
        var current = WindowEnd - TimeSpan.FromMinutes(10);
        var earlier = WindowEnd - TimeSpan.FromHours(3);
        await database.InsertAsync(
        [
            .. KeywordRow.Repeat("checkout", current, 12, source: "twitter"),
            .. KeywordRow.Repeat("shipping", earlier, 20, source: "twitter"),
            .. KeywordRow.Repeat("shipping", current, 6, source: "review"),
            .. KeywordRow.Repeat("checkout", earlier, 30, source: "review"),
        ]);

        var twitter = await database.Query().GetAsync(WindowEnd, Hour, trailingWindows: 6, source: "twitter", top: 10);
        var review = await database.Query().GetAsync(WindowEnd, Hour, trailingWindows: 6, source: "review", top: 10);

        Assert.Equal([new TrendingKeyword("checkout", 12, 0, LogLikelihood.GSquared(12, 0, 12, 20))], twitter);
        Assert.Equal([new TrendingKeyword("shipping", 6, 0, LogLikelihood.GSquared(6, 0, 6, 30))], review);
    }

    [Fact]
    public async Task Top_keeps_the_highest_scores_and_the_configured_overload_uses_the_options()
    {
        await using var database = await TrendingDatabase.CreateAsync(infrastructure, new TrendingOptions
        {
            Window = TimeSpan.FromMinutes(30),
            TrailingWindows = 2,
            Top = 1,
            MinCount = 3,
        });
        var current = WindowEnd - TimeSpan.FromMinutes(1);
        var trailing = WindowEnd - TimeSpan.FromMinutes(45);
        await database.InsertAsync(
        [
            .. KeywordRow.Repeat("steady", trailing, 40),
            .. KeywordRow.Repeat("steady", current, 4),
            .. KeywordRow.Repeat("big", current, 9),
            .. KeywordRow.Repeat("small", current, 3),
            .. KeywordRow.Repeat("big", WindowEnd - TimeSpan.FromMinutes(91), 100), // outside 2 trailing windows of 30 min
        ]);

        var trending = await database.Query().GetAsync(WindowEnd);

        Assert.Equal([new TrendingKeyword("big", 9, 0, LogLikelihood.GSquared(9, 0, 16, 40))], trending);
    }

    [Fact]
    public async Task Query_reads_only_its_windows_through_the_timestamp_index()
    {
        await using var database = await TrendingDatabase.CreateAsync(infrastructure);
        // A year of rows, one every ten minutes; the query's 25 hours are under 0.3 % of them.
        await database.ExecuteAsync("""
            INSERT INTO sentiment_analysis (message_id, "timestamp", source, keywords)
            SELECT 'm-' || i, TIMESTAMP '2026-03-01 12:00' - i * INTERVAL '10 minutes', 'twitter', ARRAY['word' || (i % 50)]
            FROM generate_series(1, 52560) AS i;
            ANALYZE sentiment_analysis;
            """);

        var plan = await database.ExplainAsync(WindowEnd - (Hour * 25), WindowEnd - Hour, WindowEnd);

        Assert.Contains("idx_timestamp", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 24, 10)]
    [InlineData(60, 0, 10)]
    [InlineData(60, 24, 0)]
    public async Task Empty_window_no_trailing_window_or_zero_top_is_refused(int windowMinutes, int trailingWindows, int top)
    {
        await using var database = await TrendingDatabase.CreateAsync(infrastructure);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            database.Query().GetAsync(WindowEnd, TimeSpan.FromMinutes(windowMinutes), trailingWindows, null, top));
    }

    private sealed record KeywordRow(string Term, DateTimeOffset At, string Source)
    {
        public static IEnumerable<KeywordRow> Repeat(string term, DateTimeOffset at, int times, string source = "twitter") =>
            Enumerable.Repeat(new KeywordRow(term, at, source), times);
    }

    /// <summary>A fresh, migrated results database holding only what a test inserts.</summary>
    private sealed class TrendingDatabase(NpgsqlDataSource dataSource, TrendingOptions options) : IAsyncDisposable
    {
        public static async Task<TrendingDatabase> CreateAsync(InfrastructureFixture infrastructure, TrendingOptions? options = null) =>
            new(NpgsqlDataSource.Create(await infrastructure.CreateMigratedDatabaseAsync()), options ?? new TrendingOptions());

        public TrendingKeywordsQuery Query() => new(dataSource, Options.Create(options));

        /// <summary>One row per keyword occurrence, each with a unique message id.</summary>
        public async Task InsertAsync(IReadOnlyList<KeywordRow> rows)
        {
            await using var command = dataSource.CreateCommand("""
                INSERT INTO sentiment_analysis (message_id, "timestamp", source, keywords)
                SELECT gen_random_uuid()::text, at, source, ARRAY[term]
                FROM unnest($1::text[], $2::timestamp[], $3::text[]) AS r(term, at, source)
                """);
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Term).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<DateTime[]>
            {
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Timestamp,
                TypedValue = rows.Select(r => DateTime.SpecifyKind(r.At.UtcDateTime, DateTimeKind.Unspecified)).ToArray(),
            });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Source).ToArray() });
            Assert.Equal(rows.Count, await command.ExecuteNonQueryAsync());
        }

        public async Task ExecuteAsync(string sql)
        {
            await using var command = dataSource.CreateCommand(sql);
            await command.ExecuteNonQueryAsync();
        }

        /// <summary>The plan PostgreSQL picks for the query with these parameters and no source.</summary>
        public async Task<string> ExplainAsync(DateTimeOffset trailingStart, DateTimeOffset windowStart, DateTimeOffset windowEnd)
        {
            await using var command = dataSource.CreateCommand("EXPLAIN " + TrendingKeywordsQuery.Sql);
            foreach (var instant in new[] { trailingStart, windowStart, windowEnd })
            {
                command.Parameters.Add(new NpgsqlParameter<DateTime>
                {
                    NpgsqlDbType = NpgsqlDbType.Timestamp,
                    TypedValue = DateTime.SpecifyKind(instant.UtcDateTime, DateTimeKind.Unspecified),
                });
            }

            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Varchar, Value = DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = 5 });
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }

            return string.Join('\n', lines);
        }

        public ValueTask DisposeAsync() => dataSource.DisposeAsync();
    }
}
