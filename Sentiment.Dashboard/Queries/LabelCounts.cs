using System.Text.Json.Serialization;
using Sentiment.Contracts;

namespace Sentiment.Dashboard.Queries;

/// <summary>Messages per sentiment label.</summary>
public sealed record LabelCounts(long Positive, long Neutral, long Negative)
{
    public static LabelCounts Zero { get; } = new(0, 0, 0);

    [JsonIgnore]
    public long Total => Positive + Neutral + Negative;

    public long this[string label] => label switch
    {
        SentimentLabels.Positive => Positive,
        SentimentLabels.Neutral => Neutral,
        SentimentLabels.Negative => Negative,
        _ => throw new ArgumentOutOfRangeException(nameof(label), label, "Labels are positive, neutral and negative."),
    };

    public LabelCounts Add(LabelCounts other) =>
        new(Positive + other.Positive, Neutral + other.Neutral, Negative + other.Negative);

    /// <summary>The SQL that counts the labels of a row set, as three columns in the order of this record.</summary>
    internal const string SqlColumns =
        $"count(*) FILTER (WHERE sentiment_label = '{SentimentLabels.Positive}'), " +
        $"count(*) FILTER (WHERE sentiment_label = '{SentimentLabels.Neutral}'), " +
        $"count(*) FILTER (WHERE sentiment_label = '{SentimentLabels.Negative}')";
}
