using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sentiment.Contracts.Messaging;

/// <summary>
/// What a feedback message may hold, in one place for both sides of <c>sentiment:input</c>: ingest refuses what breaks
/// a rule (400 naming the field), and the worker reads an entry by the same rules, so what ingest accepts the worker can
/// store. Lengths are counted as PostgreSQL counts <c>varchar(n)</c>: Unicode code points, not UTF-16 units.
/// </summary>
public static partial class FeedbackRules
{
    /// <summary>Nesting of objects and arrays inside <c>metadata</c>, the object itself being 1.</summary>
    public const int MaxMetadataDepth = 32;

    /// <summary>Characters in one number of <c>metadata</c>; PostgreSQL's numeric holds far more, this bounds the work.</summary>
    public const int MaxNumberLength = 100;

    /// <returns>Why the id cannot be stored, or null when it can.</returns>
    public static string? IdError(string id)
    {
        var length = CountCharacters(id);
        if (string.IsNullOrWhiteSpace(id) || length > FeedbackMessage.MaxIdLength)
        {
            return $"The id must hold 1 to {FeedbackMessage.MaxIdLength} characters and not be blank; it has {length}.";
        }

        return id.Contains('\0', StringComparison.Ordinal) ? "The id must not contain NUL (\\u0000) characters." : null;
    }

    public static string? SourceError(string source)
    {
        if (source.Length == 0)
        {
            return "The source is required.";
        }

        if (source.Length > FeedbackMessage.MaxSourceLength)
        {
            return $"The source must be at most {FeedbackMessage.MaxSourceLength} characters; it has {source.Length}.";
        }

        return SourcePattern().IsMatch(source) ? null : "The source may hold only lower-case letters a-z, digits, '_' and '-'.";
    }

    /// <param name="text">The text as stored: trimmed.</param>
    public static string? TextError(string text)
    {
        var length = CountCharacters(text);
        if (length is 0 or > FeedbackMessage.MaxTextLength)
        {
            return $"The text must hold 1 to {FeedbackMessage.MaxTextLength} characters after trimming; it has {length}.";
        }

        // PostgreSQL text cannot hold NUL; accepting it would only move the failure to the worker.
        return text.Contains('\0', StringComparison.Ordinal) ? "The text must not contain NUL (\\u0000) characters." : null;
    }

    /// <summary>
    /// The metadata must be a JSON object of at most <see cref="FeedbackMessage.MaxMetadataBytes"/>, nested at most
    /// <see cref="MaxMetadataDepth"/> deep, whose strings are valid Unicode without NUL and whose numbers are finite
    /// doubles: what PostgreSQL's jsonb stores (it refuses NUL, lone surrogates, and numbers past its numeric range).
    /// </summary>
    public static string? MetadataError(JsonElement metadata)
    {
        if (metadata.ValueKind != JsonValueKind.Object)
        {
            return "The metadata must be a JSON object.";
        }

        var size = JsonMarshal.GetRawUtf8Value(metadata).Length;
        if (size > FeedbackMessage.MaxMetadataBytes)
        {
            return $"The metadata must be at most {FeedbackMessage.MaxMetadataBytes} bytes of JSON; it has {size}.";
        }

        try
        {
            return ValueError(metadata, depth: 1);
        }
        catch (InvalidOperationException)
        {
            // A lone UTF-16 surrogate escape, which jsonb refuses as well.
            return "The metadata holds a string that is not valid Unicode.";
        }
    }

    /// <summary>Characters as PostgreSQL counts them for VARCHAR(n): Unicode code points, not UTF-16 units.</summary>
    public static int CountCharacters(string text)
    {
        var count = text.Length;
        for (var i = 0; i < text.Length - 1; i++)
        {
            if (char.IsSurrogatePair(text[i], text[i + 1]))
            {
                count--;
                i++;
            }
        }

        return count;
    }

    private static string? ValueError(JsonElement value, int depth)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object or JsonValueKind.Array when depth > MaxMetadataDepth:
                return $"The metadata must be nested at most {MaxMetadataDepth} levels deep.";
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    if (property.Name.Contains('\0', StringComparison.Ordinal))
                    {
                        return "The metadata must not contain NUL (\\u0000) characters.";
                    }

                    if (ValueError(property.Value, depth + 1) is { } error)
                    {
                        return error;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (ValueError(item, depth + 1) is { } error)
                    {
                        return error;
                    }
                }

                return null;
            case JsonValueKind.String:
                return value.GetString()!.Contains('\0', StringComparison.Ordinal)
                    ? "The metadata must not contain NUL (\\u0000) characters."
                    : null;
            case JsonValueKind.Number:
                return IsStorableNumber(value.GetRawText())
                    ? null
                    : $"The metadata's numbers must be finite, within ±1.7e308, and at most {MaxNumberLength} characters; {Shorten(value.GetRawText())} is not.";
            default:
                return null;
        }
    }

    // A finite double whose written exponent stays within a double's: 1e-400 parses as 0 but overflows numeric.
    private static bool IsStorableNumber(string raw)
    {
        if (raw.Length > MaxNumberLength
            || !double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            || !double.IsFinite(number))
        {
            return false;
        }

        var exponentAt = raw.AsSpan().IndexOfAny('e', 'E');
        return exponentAt < 0
            || (int.TryParse(raw.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent)
                && Math.Abs(exponent) <= 308);
    }

    private static string Shorten(string raw) => raw.Length <= 20 ? raw : raw[..20] + "…";

    [GeneratedRegex("^[a-z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SourcePattern();
}
