using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Sentiment.Dashboard.Queries;

/// <summary>
/// Where a page of <see cref="MessageSearchQuery"/> ended: the (timestamp, id) of its last row. Clients see it as an
/// opaque token (base64url), so its contents may change without breaking them.
/// </summary>
public sealed record MessageCursor(DateTimeOffset Timestamp, int Id)
{
    private const string Version = "v1";

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{Version}:{Timestamp.UtcTicks}:{Id}")));

    public static bool TryParse(string? token, [NotNullWhen(true)] out MessageCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return false;
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return false;
        }

        var parts = text.Split(':');
        if (parts.Length != 3 || parts[0] != Version
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        cursor = new MessageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}
