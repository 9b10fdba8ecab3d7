using System.Globalization;
using Sentiment.Contracts;

namespace Sentiment.Dashboard.Components.Shared;

/// <summary>
/// How the dashboard writes numbers, times and labels. One culture for every user: the server renders the page,
/// and a count must read the same in the chart, its summary and the table behind it.
/// </summary>
public static class Display
{
    private static readonly CultureInfo s_culture = CultureInfo.InvariantCulture;

    /// <summary>The labels in display order, each with its name and the colour every view uses for it.</summary>
    public static IReadOnlyList<LabelStyle> Labels { get; } =
    [
        new(SentimentLabels.Positive, "Positive", "#1b7f3b"),
        new(SentimentLabels.Neutral, "Neutral", "#6b7280"),
        new(SentimentLabels.Negative, "Negative", "#c62828"),
    ];

    public static string Count(long count) => count.ToString("N0", s_culture);

    /// <summary>A sentiment score, −1 to 1, with a real minus sign; a dash when there is none.</summary>
    public static string Score(double? score) =>
        score is { } value ? value.ToString("+0.00;−0.00;0.00", s_culture) : "–";

    public static string Rate(double perSecond) => perSecond.ToString("0.0", s_culture);

    public static string Percent(long part, long whole) =>
        whole == 0 ? "0%" : ((double)part / whole).ToString("0%", s_culture);

    /// <summary>An instant in UTC, as the server knows no browser's time zone.</summary>
    public static string Time(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", s_culture) + " UTC";

    public static string ShortTime(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("HH:mm:ss", s_culture);

    /// <summary>The value of a <c>datetime</c> attribute.</summary>
    public static string MachineTime(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", s_culture);

    public static string LabelName(string? label) =>
        Labels.FirstOrDefault(style => style.Label == label)?.Name ?? label ?? "–";
}

/// <param name="Label">As stored: <c>positive</c>, <c>neutral</c> or <c>negative</c>.</param>
public sealed record LabelStyle(string Label, string Name, string Colour);
