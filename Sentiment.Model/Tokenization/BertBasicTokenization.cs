using System.Globalization;
using System.Text;

namespace Sentiment.Model.Tokenization;

/// <summary>
/// BERT's "basic tokenizer" step as Hugging Face defines it (transformers' BasicTokenizer, tokenizers'
/// BertNormalizer + BertPreTokenizer): drop control characters, space out CJK ideographs, NFC, lower-case,
/// strip accents, and split punctuation off. The result is the words separated by single spaces, ready for
/// WordPiece.
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers' own basic tokenization classifies characters differently (it drops emoji and
/// symbols such as '&lt;' or '$' instead of keeping them, keeps '_' inside words, and splits at zero-width
/// spaces), so models trained with Hugging Face's rules — ours (training/sentiment_text.py) and every BERT
/// export — would see other ids. The parity cases in training/parity/wordpiece-cases.tsv check this class.
/// Characters are classified by code point, as Python does, so emoji and other surrogate pairs are one unit.
/// Work happens in per-thread buffers: a message costs no allocation unless it needs Unicode normalisation.
/// Known difference: lower-casing is per code point, so a word-final capital sigma becomes σ where Python's
/// <c>str.lower()</c> writes ς (Greek in capitals only).
/// </remarks>
public static class BertBasicTokenization
{
    /// <summary>Two scratch buffers per thread; each step reads one and writes the other.</summary>
    [ThreadStatic]
    private static char[][]? t_buffers;

    /// <summary>
    /// The words of <paramref name="text"/> separated by single spaces. The span lives in a per-thread buffer and
    /// is valid until the next call on the same thread.
    /// </summary>
    public static ReadOnlySpan<char> Apply(ReadOnlySpan<char> text, bool lowerCase, bool stripAccents, bool splitCjk = true)
    {
        var buffers = t_buffers ??= [new char[256], new char[256]];
        var current = buffers[0];
        var spare = buffers[1];

        // A CJK ideograph or punctuation mark gains two spaces, lower-casing may turn one char into a surrogate
        // pair, and normalisation has its exact length computed first.
        EnsureCapacity(ref current, (text.Length * 3) + 2);
        var length = Clean(text, current, splitCjk);

        if (!current.AsSpan(0, length).IsNormalized(NormalizationForm.FormC))
        {
            length = Normalize(ref current, ref spare, length, NormalizationForm.FormC);
        }

        if (lowerCase)
        {
            EnsureCapacity(ref spare, (length * 2) + 2);
            length = LowerCase(current.AsSpan(0, length), spare);
            (current, spare) = (spare, current);
        }

        if (stripAccents)
        {
            if (!current.AsSpan(0, length).IsNormalized(NormalizationForm.FormD))
            {
                length = Normalize(ref current, ref spare, length, NormalizationForm.FormD);
            }

            length = RemoveNonSpacingMarks(current.AsSpan(0, length));
        }

        EnsureCapacity(ref spare, (length * 3) + 2);
        length = SplitWords(current.AsSpan(0, length), spare);

        buffers[0] = current;
        buffers[1] = spare;
        return spare.AsSpan(0, length);
    }

    /// <summary>Drops NUL, U+FFFD and control/format characters; whitespace becomes a space; CJK ideographs get spaces around them.</summary>
    private static int Clean(ReadOnlySpan<char> text, Span<char> destination, bool splitCjk)
    {
        var written = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            // A lone surrogate enumerates as U+FFFD, which is dropped, as Python drops the lone surrogate (category Cs).
            if (rune.Value is 0 or 0xFFFD || IsControl(rune))
            {
                continue;
            }

            if (IsBertWhitespace(rune))
            {
                destination[written++] = ' ';
            }
            else if (splitCjk && IsCjkIdeograph(rune.Value))
            {
                destination[written++] = ' ';
                written += rune.EncodeToUtf16(destination[written..]);
                destination[written++] = ' ';
            }
            else
            {
                written += rune.EncodeToUtf16(destination[written..]);
            }
        }

        return written;
    }

    private static int LowerCase(ReadOnlySpan<char> text, Span<char> destination)
    {
        var written = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            written += Rune.ToLowerInvariant(rune).EncodeToUtf16(destination[written..]);
        }

        return written;
    }

    /// <summary>In place: drops combining marks (category Mn) from NFD text.</summary>
    private static int RemoveNonSpacingMarks(Span<char> text)
    {
        var written = 0;
        var read = 0;
        while (read < text.Length)
        {
            Rune.DecodeFromUtf16(text[read..], out var rune, out var consumed);
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                text.Slice(read, consumed).CopyTo(text[written..]);
                written += consumed;
            }

            read += consumed;
        }

        return written;
    }

    /// <summary>Punctuation becomes a word of its own; whitespace runs become one space; no space at either end.</summary>
    private static int SplitWords(ReadOnlySpan<char> text, Span<char> destination)
    {
        var written = 0;
        var pendingSpace = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsBmp && IsPythonWhitespace((char)rune.Value))
            {
                pendingSpace = true;
                continue;
            }

            var punctuation = IsPunctuation(rune);
            if (written > 0 && (pendingSpace || punctuation))
            {
                destination[written++] = ' ';
            }

            written += rune.EncodeToUtf16(destination[written..]);
            // The next character starts a new word after punctuation.
            pendingSpace = punctuation;
        }

        return written;
    }

    private static int Normalize(ref char[] current, ref char[] spare, int length, NormalizationForm form)
    {
        var source = current.AsSpan(0, length);
        EnsureCapacity(ref spare, source.GetNormalizedLength(form));
        if (!source.TryNormalize(spare, out var written, form))
        {
            throw new InvalidOperationException($"Unicode {form} normalisation needed more than {spare.Length} characters.");
        }

        (current, spare) = (spare, current);
        return written;
    }

    private static void EnsureCapacity(ref char[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new char[Math.Max(length, buffer.Length * 2)];
        }
    }

    private static bool IsBertWhitespace(Rune rune) =>
        rune.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator;

    /// <summary>BERT's control test: every "C" category except tab, newline and carriage return (they count as whitespace).</summary>
    private static bool IsControl(Rune rune)
    {
        if (rune.Value is '\t' or '\n' or '\r')
        {
            return false;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
    }

    /// <summary>BERT's punctuation: all non-alphanumeric ASCII symbols (so '$', '&lt;', '^', '`' too) and every "P" category.</summary>
    private static bool IsPunctuation(Rune rune)
    {
        var cp = rune.Value;
        if (cp is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126))
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>Python's <c>str.split()</c> separators: .NET whitespace plus U+001C–U+001F.</summary>
    private static bool IsPythonWhitespace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';

    /// <summary>The CJK Unified Ideograph blocks BERT spaces out (Hangul and kana are not among them).</summary>
    private static bool IsCjkIdeograph(int cp) =>
        cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
            or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);
}
