using Npgsql;
using Sentiment.Storage;

namespace Sentiment.Dashboard.Queries;

/// <summary>The headline figures of the stored results that match a filter.</summary>
/// <param name="Total">Messages stored.</param>
/// <param name="AverageScore">Mean sentiment score (−1 to 1); null when no message matches.</param>
/// <param name="RatePerSecond">
/// Processing rate: the matching messages that workers stored in the last <see cref="MetricsQuery.RateWindow"/>
/// (by <c>processed_at</c>), divided by its length in seconds.
/// </param>
public sealed record SentimentMetrics(long Total, LabelCounts ByLabel, double? AverageScore, double RatePerSecond);

public sealed class MetricsQuery(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>The window <see cref="SentimentMetrics.RatePerSecond"/> averages over.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(60);

    public async Task<SentimentMetrics> GetAsync(SentimentFilter filter, CancellationToken cancellationToken = default)
    {
        await using var batch = CreateBatch(filter);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt64(0);
        var byLabel = new LabelCounts(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        double? average = reader.IsDBNull(4) ? null : reader.GetDouble(4);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var recentCount = reader.GetInt64(0);
        return new SentimentMetrics(total, byLabel, average, recentCount / RateWindow.TotalSeconds);
    }

    /// <summary>The statements <see cref="GetAsync"/> runs; public so a test can EXPLAIN them.</summary>
    public NpgsqlBatch CreateBatch(SentimentFilter filter)
    {
        var batch = dataSource.CreateBatch();
        var totals = new NpgsqlBatchCommand();
        var where = FilterSql.Where(filter, totals.Parameters);
        totals.CommandText = $"SELECT count(*), {LabelCounts.SqlColumns}, avg(sentiment_score) FROM {SentimentDbContext.ResultsTable} WHERE {where}";
        batch.BatchCommands.Add(totals);

        // A query of its own so idx_processed_at serves it whatever the time range of the filter.
        var recent = new NpgsqlBatchCommand();
        where = FilterSql.Where(filter, recent.Parameters);
        recent.CommandText = $"SELECT count(*) FROM {SentimentDbContext.ResultsTable} WHERE processed_at >= @since AND {where}";
        recent.Parameters.Add(FilterSql.Instant("since", time.GetUtcNow() - RateWindow));
        batch.BatchCommands.Add(recent);
        return batch;
    }
}
