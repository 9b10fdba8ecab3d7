using System.Globalization;

namespace Sentiment.Contracts.Messaging;

/// <summary>The ISO-8601 times of the message contract: parsed strictly, written in UTC round-trip form.</summary>
public static class Iso8601
{
    // Calendar date with optional time, fraction and offset ("K" also matches no offset, read as UTC).
    // DateTimeOffset.TryParse alone would also take "01/15/2024" or "15 January", which are not ISO-8601.
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd",
    ];

    public static bool TryParse(string? value, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(
            value,
            Formats,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out time);

    /// <summary>Formats <paramref name="time"/> in UTC, e.g. <c>2024-01-15T10:30:00.0000000Z</c>.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
