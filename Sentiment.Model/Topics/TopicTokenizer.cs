using System.Globalization;
using System.Text;

namespace Sentiment.Model.Topics;

/// <summary>
/// Splits text into lower-case words the way the word vectors were built: runs of letters and digits, with
/// apostrophes and hyphens as separators ("don't" → "don", "t"; "built-in" → "built", "in"). The fragments that
/// leaves ("t", "s", "don") are stop words. Currency signs and '%' are tokens of their own: in the vectors they
/// sit beside "price" and "cost", so "$89" is evidence for Pricing.
/// </summary>
public static class TopicTokenizer
{
    public static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                word.Append(Rune.ToLowerInvariant(rune).ToString());
                continue;
            }

            Flush(word, tokens);
            if (IsSymbolToken(rune))
            {
                tokens.Add(rune.ToString());
            }
        }

        Flush(word, tokens);
        return tokens;
    }

    /// <summary>True when the token has a letter: numbers and symbols are never keywords.</summary>
    public static bool HasLetter(string token)
    {
        foreach (var c in token)
        {
            if (char.IsLetter(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSymbolToken(Rune rune) =>
        rune.Value is '$' or '%' or '€' or '£' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.CurrencySymbol;

    private static void Flush(StringBuilder word, List<string> tokens)
    {
        if (word.Length > 0)
        {
            tokens.Add(word.ToString());
            word.Clear();
        }
    }
}
