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

    /// <summary>
    /// Why the filter's range cannot be compared with the windows before it (it is empty, or they would start before
    /// year 1), or null when it can.
    /// </summary>
    public string? RangeError(SentimentFilter filter)
    {
        var (end, window) = Window(filter);
        if (window <= TimeSpan.Zero)
        {
            return "'from' must be earlier than 'to' (now, when 'to' is not given).";
        }

        var trailing = options.Value.TrailingWindows;
        return TrendingKeywordsQuery.Fits(end, window, trailing)
            ? null
            : $"'from' is too far before 'to': the range is compared with the {trailing} ranges of the same length before it, which must start after year 1.";
    }

    public Task<IReadOnlyList<TrendingKeyword>> GetAsync(SentimentFilter filter, int? top = null, CancellationToken cancellationToken = default)
    {
        filter.EnsureValid();
        var defaults = options.Value;
        var count = top ?? defaults.Top;
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxTop);
        var (end, window) = Window(filter);
        return trending.GetAsync(end, window, defaults.TrailingWindows, filter.Source, count, cancellationToken);
    }

    private (DateTimeOffset End, TimeSpan Window) Window(SentimentFilter filter)
    {
        var end = filter.To ?? time.GetUtcNow();
        return (end, filter.From is { } from ? end - from : options.Value.Window);
    }
}
