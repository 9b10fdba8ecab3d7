using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Sentiment.Model.Text;

/// <summary>
/// Normalises text before it reaches the model. The Python training code (training/) applies the same rules
/// in the same order, so any change here must be made there too and checked with the parity cases.
/// The original text is stored unchanged; only the model sees this form.
/// </summary>
/// <remarks>
/// Word and whitespace classes are spelled out to match Python's <c>re</c> module rather than .NET's:
/// Python's <c>\w</c> is letters, numbers and '_' (no combining marks or connector punctuation), and its
/// <c>\s</c> also holds U+001C–U+001F. .NET regexes see UTF-16 code units, so a word character outside the
/// Basic Multilingual Plane (e.g. the "fancy font" letters 𝐚𝐛𝐜 some tweets use) is checked by code point
/// in <see cref="IsWordAt"/> and <see cref="IsWordBefore"/>.
/// A text with nothing to change is returned as the same instance, without allocating.
/// </remarks>
public static partial class TextPreprocessor
{
    private const string UrlReplacement = "http";
    private const string MentionReplacement = "@user";

    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = DecodeUnicodeEscapes(text);
        result = DecodeHtmlEntities(result);
        result = ReplaceUrls(result);
        result = ReplaceMentions(result);
        return CollapseWhitespace(result);
    }

    /// <summary>Rule 1: literal <c>\uXXXX</c> escapes; a high+low surrogate pair becomes one code point, a lone surrogate stays as written.</summary>
    public static string DecodeUnicodeEscapes(string text)
    {
        if (!text.Contains("\\u", StringComparison.Ordinal))
        {
            return text;
        }

        return UnicodeEscape().Replace(text, static match =>
        {
            if (match.Groups["high"].Success)
            {
                return string.Create(2, match, static (span, m) =>
                {
                    span[0] = (char)int.Parse(m.Groups["high"].ValueSpan, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    span[1] = (char)int.Parse(m.Groups["low"].ValueSpan, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                });
            }

            var code = int.Parse(match.Groups["single"].ValueSpan, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return char.IsSurrogate((char)code) ? match.Value : ((char)code).ToString();
        });
    }

    /// <summary>Rule 2: the five entities Twitter escapes, in one pass (so <c>&amp;amp;lt;</c> becomes <c>&amp;lt;</c>, not <c>&lt;</c>).</summary>
    public static string DecodeHtmlEntities(string text)
    {
        if (!text.Contains('&', StringComparison.Ordinal))
        {
            return text;
        }

        return HtmlEntity().Replace(text, static match => match.Groups[1].ValueSpan switch
        {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            "quot" => "\"",
            _ => "'",
        });
    }

    /// <summary>Rule 3: <c>(?i)\b(?:https?://|www\.)\S+</c> → <c>http</c>.</summary>
    public static string ReplaceUrls(string text) => ReplaceWhereNotAfterWord(text, Url(), UrlReplacement, extendOverWordRunes: false);

    /// <summary>Rule 4: <c>(?&lt;![\w@])@\w+</c> → <c>@user</c>.</summary>
    public static string ReplaceMentions(string text) =>
        text.Contains('@', StringComparison.Ordinal)
            ? ReplaceWhereNotAfterWord(text, Mention(), MentionReplacement, extendOverWordRunes: true)
            : text;

    /// <summary>Rule 5: every run of whitespace becomes one space; leading and trailing whitespace goes.</summary>
    public static string CollapseWhitespace(string text)
    {
        if (!NeedsWhitespaceCollapse(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (IsPythonWhitespace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static bool NeedsWhitespaceCollapse(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        if (IsPythonWhitespace(text[0]) || IsPythonWhitespace(text[^1]))
        {
            return true;
        }

        for (var i = 1; i < text.Length - 1; i++)
        {
            // A lone ' ' between two non-space characters is already in normal form.
            if (IsPythonWhitespace(text[i]) && (text[i] != ' ' || IsPythonWhitespace(text[i + 1])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Replaces each match of <paramref name="pattern"/> unless the code point before it is a word character.
    /// The regex's own look-behind covers the Basic Multilingual Plane; this check adds the supplementary planes.
    /// With <paramref name="extendOverWordRunes"/>, the match (ASCII/BMP word characters) is extended over
    /// following supplementary-plane word characters, as Python's <c>\w+</c> would take them.
    /// </summary>
    private static string ReplaceWhereNotAfterWord(string text, Regex pattern, string replacement, bool extendOverWordRunes)
    {
        StringBuilder? builder = null;
        var copiedUpTo = 0;
        var searchFrom = 0;
        while (searchFrom < text.Length)
        {
            var match = pattern.Match(text, searchFrom);
            if (!match.Success)
            {
                break;
            }

            var start = match.Index;
            var end = match.Index + match.Length;
            if (IsWordBefore(text, start))
            {
                searchFrom = start + 1;
                continue;
            }

            if (extendOverWordRunes)
            {
                end = ExtendOverWordRunes(text, end);
                if (end == start + 1)
                {
                    // '@' followed only by non-word characters: nothing to replace.
                    searchFrom = start + 1;
                    continue;
                }
            }

            builder ??= new StringBuilder(text.Length);
            builder.Append(text, copiedUpTo, start - copiedUpTo).Append(replacement);
            copiedUpTo = end;
            searchFrom = end;
        }

        if (builder is null)
        {
            return text;
        }

        builder.Append(text, copiedUpTo, text.Length - copiedUpTo);
        return builder.ToString();
    }

    private static int ExtendOverWordRunes(string text, int index)
    {
        while (index < text.Length && IsWordAt(text, index, out var length))
        {
            index += length;
        }

        return index;
    }

    /// <summary>Python's <c>\w</c> for the code point at <paramref name="index"/>: letters, numbers, '_'.</summary>
    private static bool IsWordAt(string text, int index, out int length)
    {
        if (Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out length) != System.Buffers.OperationStatus.Done)
        {
            length = 1;
            return false;
        }

        return IsWordRune(rune);
    }

    private static bool IsWordBefore(string text, int index)
    {
        if (index == 0)
        {
            return false;
        }

        return Rune.DecodeLastFromUtf16(text.AsSpan(0, index), out var rune, out _) == System.Buffers.OperationStatus.Done
            && IsWordRune(rune);
    }

    private static bool IsWordRune(Rune rune) =>
        rune.Value == '_' || Rune.GetUnicodeCategory(rune) is
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    /// <summary>Python's <c>str.isspace</c>: .NET's <c>\s</c> plus the information separators U+001C–U+001F.</summary>
    private static bool IsPythonWhitespace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';

    [GeneratedRegex(@"\\u(?:(?<high>[dD][89abAB][0-9a-fA-F]{2})\\u(?<low>[dD][c-fC-F][0-9a-fA-F]{2})|(?<single>[0-9a-fA-F]{4}))", RegexOptions.CultureInvariant)]
    private static partial Regex UnicodeEscape();

    [GeneratedRegex("&(amp|lt|gt|quot|#39);", RegexOptions.CultureInvariant)]
    private static partial Regex HtmlEntity();

    // \b before 'h' or 'w' means "not after a word character"; the look-behind covers the BMP, IsWordBefore the rest.
    // 'ſ' (U+017F) is there because Python's (?i) folds it to 's' and .NET's invariant ignore-case does not.
    [GeneratedRegex(@"(?<![\p{L}\p{N}_])(?:http[sſ]?://|www\.)[^\s\x1C-\x1F]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Url();

    [GeneratedRegex(@"(?<![\p{L}\p{N}_@])@[\p{L}\p{N}_]*", RegexOptions.CultureInvariant)]
    private static partial Regex Mention();
}
