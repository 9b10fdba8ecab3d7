using Microsoft.EntityFrameworkCore;
using Sentiment.Core.Storage;

namespace Sentiment.Dashboard.Overview;

/// <summary>Counts of stored results, overall and by label.</summary>
public sealed record SentimentOverview(long Total, IReadOnlyList<(string Label, long Count)> ByLabel, double? AverageScore);

public sealed class SentimentOverviewQuery(SentimentDbContext db)
{
    private static readonly string[] s_labels = ["positive", "neutral", "negative"];

    public async Task<SentimentOverview> GetAsync(CancellationToken cancellationToken = default)
    {
        var counts = await db.Results
            .GroupBy(result => result.SentimentLabel)
            .Select(group => new { Label = group.Key, Count = group.LongCount() })
            .ToDictionaryAsync(row => row.Label ?? "", row => row.Count, cancellationToken);
        var averageScore = await db.Results.AverageAsync(result => result.SentimentScore, cancellationToken);

        var byLabel = s_labels.Select(label => (label, counts.GetValueOrDefault(label))).ToList();
        return new SentimentOverview(counts.Values.Sum(), byLabel, averageScore);
    }
}
