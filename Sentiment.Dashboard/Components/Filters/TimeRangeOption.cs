namespace Sentiment.Dashboard.Components.Filters;

/// <summary>A time range the filter bar offers: the last <see cref="Length"/> up to now, or all time when null.</summary>
/// <param name="Key">Its value in the address (<c>?range=1h</c>).</param>
/// <param name="AllowsMinutes">Whether per-minute buckets are offered: a week of minutes is too many points to draw.</param>
public sealed record TimeRangeOption(string Key, string Name, TimeSpan? Length, bool AllowsMinutes)
{
    public static IReadOnlyList<TimeRangeOption> All { get; } =
    [
        new("15m", "Last 15 minutes", TimeSpan.FromMinutes(15), AllowsMinutes: true),
        new("1h", "Last hour", TimeSpan.FromHours(1), AllowsMinutes: true),
        new("6h", "Last 6 hours", TimeSpan.FromHours(6), AllowsMinutes: true),
        new("24h", "Last 24 hours", TimeSpan.FromHours(24), AllowsMinutes: true),
        new("7d", "Last 7 days", TimeSpan.FromDays(7), AllowsMinutes: false),
        new("30d", "Last 30 days", TimeSpan.FromDays(30), AllowsMinutes: false),
        new("all", "All time", null, AllowsMinutes: false),
    ];

    public static TimeRangeOption Default => All[1];

    /// <summary>The option with <paramref name="key"/>; the default for a missing or unknown key.</summary>
    public static TimeRangeOption Find(string? key) =>
        All.FirstOrDefault(option => string.Equals(option.Key, key, StringComparison.Ordinal)) ?? Default;
}
