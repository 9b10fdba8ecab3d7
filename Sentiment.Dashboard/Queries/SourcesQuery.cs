using Npgsql;
using Sentiment.Storage;

namespace Sentiment.Dashboard.Queries;

public sealed record SourceBreakdown(string Source, long Total, LabelCounts ByLabel);

/// <summary>The sources of feedback: every one there is (for a filter's choices), and each one's messages by label.</summary>
public sealed class SourcesQuery(NpgsqlDataSource dataSource)
{
    public const int MaxTop = 100;

    /// <summary>Every distinct source, alphabetically.</summary>
    /// <remarks>
    /// A loose index scan over idx_source: one index probe per distinct source instead of reading every row,
    /// which PostgreSQL 15 does not do by itself for DISTINCT.
    /// </remarks>
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH RECURSIVE sources AS (
                (SELECT source FROM {SentimentDbContext.ResultsTable} WHERE source IS NOT NULL ORDER BY source LIMIT 1)
                UNION ALL
                SELECT (SELECT s.source FROM {SentimentDbContext.ResultsTable} s WHERE s.source > sources.source ORDER BY s.source LIMIT 1)
                FROM sources
                WHERE sources.source IS NOT NULL
            )
            SELECT source FROM sources WHERE source IS NOT NULL
            """);
        var sources = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sources.Add(reader.GetString(0));
        }

        return sources;
    }

    /// <summary>The sources with the most matching messages, most first, each broken down by label.</summary>
    public async Task<IReadOnlyList<SourceBreakdown>> ByLabelAsync(SentimentFilter filter, int top = 10, CancellationToken cancellationToken = default)
    {
        await using var command = CreateByLabelCommand(filter, top);
        var sources = new List<SourceBreakdown>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sources.Add(new SourceBreakdown(
                reader.GetString(0), reader.GetInt64(1), new LabelCounts(reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4))));
        }

        return sources;
    }

    /// <summary>The statement <see cref="ByLabelAsync"/> runs; public so a test can EXPLAIN it.</summary>
    public NpgsqlCommand CreateByLabelCommand(SentimentFilter filter, int top)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(top, MaxTop);
        var command = dataSource.CreateCommand();
        var where = FilterSql.Where(filter, command.Parameters);
        command.CommandText = $"""
            SELECT source, count(*) AS n, {LabelCounts.SqlColumns}
            FROM {SentimentDbContext.ResultsTable}
            WHERE source IS NOT NULL AND {where}
            GROUP BY source
            ORDER BY n DESC, source
            LIMIT @top
            """;
        command.Parameters.Add(new NpgsqlParameter<int>("top", top));
        return command;
    }
}
