namespace Sentiment.Model.Classification;

/// <summary>Where each sentiment sits in the model's output, from <c>config.json</c> <c>id2label</c>.</summary>
public sealed class LabelMap
{
    private LabelMap(int count, int negative, int neutral, int positive)
    {
        Count = count;
        NegativeIndex = negative;
        NeutralIndex = neutral;
        PositiveIndex = positive;
    }

    /// <summary>Number of model outputs (2 or 3).</summary>
    public int Count { get; }

    public int NegativeIndex { get; }

    /// <summary>-1 for a two-class model: neutral then gets no probability mass.</summary>
    public int NeutralIndex { get; }

    public int PositiveIndex { get; }

    public bool HasNeutral => NeutralIndex >= 0;

    /// <summary>
    /// Reads label names case-insensitively (negative/neutral/positive, or neg/neu/pos). Generic names
    /// (<c>LABEL_0</c>…) are accepted only in the two conventional layouts: two classes as negative, positive
    /// (SST-2) and three as negative, neutral, positive (TweetEval). Anything else fails: guessing would
    /// silently swap labels.
    /// </summary>
    public static LabelMap FromId2Label(IReadOnlyDictionary<int, string> id2label, string configPath)
    {
        var count = id2label.Count;
        if (count is not (2 or 3))
        {
            throw new ModelLoadException(configPath, $"id2label has {count} labels; a sentiment model needs 2 (negative, positive) or 3 (negative, neutral, positive). Found: {Describe(id2label)}.");
        }

        for (var id = 0; id < count; id++)
        {
            if (!id2label.ContainsKey(id))
            {
                throw new ModelLoadException(configPath, $"id2label must number its labels 0..{count - 1}. Found: {Describe(id2label)}.");
            }
        }

        int negative = -1, neutral = -1, positive = -1;
        var named = true;
        for (var id = 0; id < count && named; id++)
        {
            switch (id2label[id].Trim().ToUpperInvariant())
            {
                case "NEGATIVE" or "NEG" when negative < 0:
                    negative = id;
                    break;
                case "NEUTRAL" or "NEU" when neutral < 0:
                    neutral = id;
                    break;
                case "POSITIVE" or "POS" when positive < 0:
                    positive = id;
                    break;
                default:
                    named = false;
                    break;
            }
        }

        if (named && negative >= 0 && positive >= 0 && (count == 2 || neutral >= 0))
        {
            return new LabelMap(count, negative, neutral, positive);
        }

        if (IsGeneric(id2label))
        {
            return count == 2 ? new LabelMap(2, 0, -1, 1) : new LabelMap(3, 0, 1, 2);
        }

        throw new ModelLoadException(configPath, $"id2label does not say which output is negative, neutral and positive. Found: {Describe(id2label)}. Name them negative/neutral/positive.");
    }

    private static bool IsGeneric(IReadOnlyDictionary<int, string> id2label)
    {
        foreach (var (id, name) in id2label)
        {
            if (!string.Equals(name.Trim(), FormattableString.Invariant($"LABEL_{id}"), StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(IReadOnlyDictionary<int, string> id2label)
    {
        var keys = new List<int>(id2label.Keys);
        keys.Sort();
        var parts = new List<string>(keys.Count);
        foreach (var key in keys)
        {
            parts.Add(FormattableString.Invariant($"{key}: {id2label[key]}"));
        }

        return "{" + string.Join(", ", parts) + "}";
    }
}
