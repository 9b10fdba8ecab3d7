namespace Sentiment.Contracts;

/// <summary>A message's sentiment, as the model predicts it. The order is the model's class order.</summary>
public enum SentimentLabel
{
    Negative,
    Neutral,
    Positive,
}

/// <summary>
/// The label names, as stored in <c>sentiment_analysis.sentiment_label</c>, sent on <c>sentiment:results</c>,
/// accepted by the read API and written in the labelled datasets: the one place they are spelled.
/// </summary>
public static class SentimentLabels
{
    public const string Negative = "negative";
    public const string Neutral = "neutral";
    public const string Positive = "positive";

    /// <summary>Every name, in the model's class order.</summary>
    public static IReadOnlyList<string> All { get; } = [Negative, Neutral, Positive];

    /// <summary>Every name, in the dashboard's display order (positive first).</summary>
    public static IReadOnlyList<string> DisplayOrder { get; } = [Positive, Neutral, Negative];

    public static string Name(SentimentLabel label) => label switch
    {
        SentimentLabel.Negative => Negative,
        SentimentLabel.Neutral => Neutral,
        SentimentLabel.Positive => Positive,
        _ => throw new ArgumentOutOfRangeException(nameof(label), label, null),
    };

    /// <summary>Reads a name, exactly as spelled here (lower case).</summary>
    public static bool TryParse(string? name, out SentimentLabel label)
    {
        (var known, label) = name switch
        {
            Negative => (true, SentimentLabel.Negative),
            Neutral => (true, SentimentLabel.Neutral),
            Positive => (true, SentimentLabel.Positive),
            _ => (false, default),
        };
        return known;
    }
}
