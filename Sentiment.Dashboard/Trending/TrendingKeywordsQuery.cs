using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Sentiment.Storage;

namespace Sentiment.Dashboard.Trending;

/// <summary>
/// The keywords whose frequency rose most in a window against the windows before it, from the stored results'
/// <c>keywords</c>. Registered by <see cref="Queries.QueryServiceExtensions"/>; needs an
/// <see cref="NpgsqlDataSource"/> for the results database.
/// </summary>
public sealed class TrendingKeywordsQuery(NpgsqlDataSource dataSource, IOptions<TrendingOptions> options)
{
    /// <summary>
    /// Counts each keyword's messages in the current window and in the trailing windows, with the totals over all
    /// keywords that G² needs. The range condition on "timestamp" is what lets PostgreSQL read only the rows of
    /// these windows through idx_timestamp; terms below the minimum are dropped here so few rows come back.
    /// Public so a test can EXPLAIN it. Parameters: $1 trailing start, $2 window start, $3 window end, $4 source or
    /// null, $5 minimum count.
    /// </summary>
    public const string Sql = $"""
        WITH counts AS (
            SELECT k.term,
                   count(*) FILTER (WHERE r."timestamp" >= $2) AS current_count,
                   count(*) FILTER (WHERE r."timestamp" < $2) AS trailing_count
            FROM {SentimentDbContext.ResultsTable} r
            CROSS JOIN LATERAL unnest(r.keywords) AS k(term)
            WHERE r."timestamp" >= $1 AND r."timestamp" < $3 AND ($4::varchar IS NULL OR r.source = $4)
            GROUP BY k.term
        ), totals AS (
            SELECT coalesce(sum(current_count), 0)::bigint AS current_total,
                   coalesce(sum(trailing_count), 0)::bigint AS trailing_total
            FROM counts
        )
        SELECT c.term, c.current_count, c.trailing_count, t.current_total, t.trailing_total
        FROM counts c CROSS JOIN totals t
        WHERE c.current_count >= $5
        """;

    private readonly TrendingOptions _options = options.Value;

    /// <summary>Whether the window and the <paramref name="trailingWindows"/> before it all lie after year 1.</summary>
    public static bool Fits(DateTimeOffset windowEnd, TimeSpan window, int trailingWindows) =>
        window.Ticks <= (windowEnd.UtcTicks - DateTimeOffset.MinValue.UtcTicks) / (trailingWindows + 1L);

    /// <summary>
    /// The terms whose frequency in [<paramref name="windowEnd"/> − <paramref name="window"/>, <paramref name="windowEnd"/>)
    /// rose most against the <paramref name="trailingWindows"/> windows before it (log-likelihood G²), optionally for
    /// one source; most trending first. Only terms in at least <see cref="TrendingOptions.MinCount"/> messages of the
    /// current window, and whose share of the keywords rose, are returned.
    /// </summary>
    public async Task<IReadOnlyList<TrendingKeyword>> GetAsync(
        DateTimeOffset windowEnd,
        TimeSpan window,
        int trailingWindows,
        string? source,
        int top,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(trailingWindows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        if (!Fits(windowEnd, window, trailingWindows))
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The trailing windows would start before year 1.");
        }

        var windowStart = windowEnd - window;
        var trailingStart = windowEnd - (window * (trailingWindows + 1));

        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(TimestampColumn.Parameter(trailingStart));
        command.Parameters.Add(TimestampColumn.Parameter(windowStart));
        command.Parameters.Add(TimestampColumn.Parameter(windowEnd));
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Varchar, Value = (object?)source ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _options.MinCount });

        var trending = new List<TrendingKeyword>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var term = reader.GetString(0);
            var count = reader.GetInt64(1);
            var trailingCount = reader.GetInt64(2);
            if (LogLikelihood.RiseScore(count, trailingCount, reader.GetInt64(3), reader.GetInt64(4)) is { } score)
            {
                trending.Add(new TrendingKeyword(term, count, trailingCount, score));
            }
        }

        return trending
            .OrderByDescending(keyword => keyword.Score)
            .ThenByDescending(keyword => keyword.Count)
            .ThenBy(keyword => keyword.Term, StringComparer.Ordinal)
            .Take(top)
            .ToList();
    }

    /// <summary>The same with the configured window, trailing windows and top N.</summary>
    public Task<IReadOnlyList<TrendingKeyword>> GetAsync(DateTimeOffset windowEnd, string? source = null, CancellationToken cancellationToken = default) =>
        GetAsync(windowEnd, _options.Window, _options.TrailingWindows, source, _options.Top, cancellationToken);
}
