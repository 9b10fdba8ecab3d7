using System.Text.Json.Serialization;

namespace Sentiment.Dashboard.Queries;

/// <summary>Messages per sentiment label.</summary>
public sealed record LabelCounts(long Positive, long Neutral, long Negative)
{
    public static LabelCounts Zero { get; } = new(0, 0, 0);

    [JsonIgnore]
    public long Total => Positive + Neutral + Negative;

    public long this[string label] => label switch
    {
        "positive" => Positive,
        "neutral" => Neutral,
        "negative" => Negative,
        _ => throw new ArgumentOutOfRangeException(nameof(label), label, "Labels are positive, neutral and negative."),
    };

    public LabelCounts Add(LabelCounts other) =>
        new(Positive + other.Positive, Neutral + other.Neutral, Negative + other.Negative);

    /// <summary>The SQL that counts the labels of a row set, as three columns in the order of this record.</summary>
    internal const string SqlColumns =
        "count(*) FILTER (WHERE sentiment_label = 'positive'), " +
        "count(*) FILTER (WHERE sentiment_label = 'neutral'), " +
        "count(*) FILTER (WHERE sentiment_label = 'negative')";
}
