using System.ComponentModel.DataAnnotations;

namespace Sentiment.Dashboard.Trending;

/// <summary>Defaults for trending keywords. Bound from the <c>Trending</c> section.</summary>
public sealed class TrendingOptions
{
    public const string SectionName = "Trending";

    /// <summary>Length of the current window (and of each trailing window).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Windows before the current one that make the baseline.</summary>
    [Range(1, 720)]
    public int TrailingWindows { get; set; } = 24;

    /// <summary>Terms returned, most trending first.</summary>
    [Range(1, 200)]
    public int Top { get; set; } = 20;

    /// <summary>
    /// Fewest messages in the current window a term needs. G² rates two occurrences of a brand-new word as a
    /// significant rise; a handful is the least that means something on a dashboard.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MinCount { get; set; } = 5;
}
