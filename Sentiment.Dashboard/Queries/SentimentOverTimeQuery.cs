using Npgsql;
using Sentiment.Storage;

namespace Sentiment.Dashboard.Queries;

public enum BucketSize
{
    Minute,
    Hour,
}

/// <summary>The matching messages whose <c>timestamp</c> falls in [Start, Start + bucket size).</summary>
public sealed record SentimentTimeBucket(DateTimeOffset Start, long Total, LabelCounts ByLabel, double? AverageScore);

/// <summary>Sentiment over time: counts per label and mean score per minute or per hour, oldest first.</summary>
public sealed class SentimentOverTimeQuery(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Empty buckets are filled in only up to this many buckets (a week of hours, a week of minutes would be 10,080).</summary>
    public const int MaxFilledBuckets = 2_000;

    /// <returns>
    /// One bucket per minute or hour. When the filter has a <c>From</c>, every bucket from it up to <c>To</c> (or now)
    /// is present, empty ones with zero counts, as long as there are at most <see cref="MaxFilledBuckets"/>;
    /// otherwise only the buckets that hold messages.
    /// </returns>
    public async Task<IReadOnlyList<SentimentTimeBucket>> GetAsync(
        SentimentFilter filter, BucketSize size, CancellationToken cancellationToken = default)
    {
        await using var command = CreateCommand(filter, size);
        var buckets = new List<SentimentTimeBucket>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                buckets.Add(new SentimentTimeBucket(
                    TimestampColumn.Read(reader, 0),
                    reader.GetInt64(1),
                    new LabelCounts(reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)),
                    reader.IsDBNull(5) ? null : reader.GetDouble(5)));
            }
        }

        return filter.From is { } from ? Fill(buckets, from, filter.To ?? time.GetUtcNow(), size) : buckets;
    }

    /// <summary>The statement <see cref="GetAsync"/> runs; public so a test can EXPLAIN it.</summary>
    public NpgsqlCommand CreateCommand(SentimentFilter filter, BucketSize size)
    {
        var command = dataSource.CreateCommand();
        var where = FilterSql.Where(filter, command.Parameters);
        command.CommandText = $"""
            SELECT date_trunc(@unit, "timestamp") AS bucket, count(*), {LabelCounts.SqlColumns}, avg(sentiment_score)
            FROM {SentimentDbContext.ResultsTable}
            WHERE {where}
            GROUP BY bucket
            ORDER BY bucket
            """;
        command.Parameters.Add(FilterSql.Text("unit", size == BucketSize.Minute ? "minute" : "hour"));
        return command;
    }

    private static List<SentimentTimeBucket> Fill(List<SentimentTimeBucket> buckets, DateTimeOffset from, DateTimeOffset to, BucketSize size)
    {
        var step = size == BucketSize.Minute ? TimeSpan.FromMinutes(1) : TimeSpan.FromHours(1);
        var first = Truncate(from.ToUniversalTime(), step);
        if ((to - first).Ticks / step.Ticks >= MaxFilledBuckets)
        {
            return buckets;
        }

        var byStart = buckets.ToDictionary(bucket => bucket.Start);
        var filled = new List<SentimentTimeBucket>();
        for (var start = first; start < to; start += step)
        {
            filled.Add(byStart.GetValueOrDefault(start) ?? new SentimentTimeBucket(start, 0, LabelCounts.Zero, null));
        }

        return filled;
    }

    private static DateTimeOffset Truncate(DateTimeOffset instant, TimeSpan step) =>
        new(instant.UtcTicks - instant.UtcTicks % step.Ticks, TimeSpan.Zero);
}
