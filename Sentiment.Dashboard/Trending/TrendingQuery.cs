using Microsoft.Extensions.Options;
using Sentiment.Dashboard.Queries;

namespace Sentiment.Dashboard.Trending;

/// <summary>
/// Trending keywords for a dashboard filter, through <see cref="TrendingKeywordsQuery"/>: the filter's range
/// is the current window (ending at its <c>To</c>, or now), compared with the
/// <see cref="TrendingOptions.TrailingWindows"/> windows of the same length before it; without a <c>From</c> the
/// window is <see cref="TrendingOptions.Window"/>. Of the filter, only the range and the source apply.
/// </summary>
public sealed class TrendingQuery(TrendingKeywordsQuery trending, IOptions<TrendingOptions> options, TimeProvider time)
{
    public const int MaxTop = 200;

    public Task<IReadOnlyList<TrendingKeyword>> GetAsync(SentimentFilter filter, int? top = null, CancellationToken cancellationToken = default)
    {
        filter.EnsureValid();
        var defaults = options.Value;
        var count = top ?? defaults.Top;
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxTop);
        var end = filter.To ?? time.GetUtcNow();
        var window = filter.From is { } from ? end - from : defaults.Window;
        return trending.GetAsync(end, window, defaults.TrailingWindows, filter.Source, count, cancellationToken);
    }
}
