namespace Sentiment.Model.Topics;

/// <summary>
/// Picks a message's most salient words: stop words, numbers and short fragments dropped, the rest ranked by
/// term frequency × idf (idf from the table shipped in vectors.bin; a word it never saw counts as the rarest),
/// ties kept in the order the words first appear.
/// </summary>
public sealed class KeywordExtractor(StopWords stopWords, WordVectors vectors, int maxKeywords, int minLength)
{
    public IReadOnlyList<string> Extract(IReadOnlyList<string> tokens)
    {
        if (maxKeywords == 0)
        {
            return [];
        }

        var candidates = new Dictionary<string, (int Count, int First)>(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Length < minLength || !TopicTokenizer.HasLetter(token) || stopWords.Contains(token))
            {
                continue;
            }

            candidates[token] = candidates.TryGetValue(token, out var seen) ? (seen.Count + 1, seen.First) : (1, i);
        }

        return [.. candidates
            .OrderByDescending(pair => pair.Value.Count * vectors.Idf(pair.Key))
            .ThenBy(pair => pair.Value.First)
            .Take(maxKeywords)
            .Select(pair => pair.Key)];
    }
}
