namespace Sentiment.Storage;

/// <summary>
/// One classified message: a row of the original design's <c>sentiment_analysis</c> table, whose columns stay
/// exactly as designed (nullable where the design leaves them nullable), plus the columns this system adds.
/// </summary>
public sealed class SentimentResult
{
    public int Id { get; set; }

    /// <summary>The message's id; unique, so a redelivered or re-posted message never gets a second row.</summary>
    public string? MessageId { get; set; }

    /// <summary>When the feedback was written. A <c>TIMESTAMP</c> as designed, holding UTC (Kind Unspecified).</summary>
    public DateTime Timestamp { get; set; }

    public string? Source { get; set; }

    public string? OriginalText { get; set; }

    /// <summary><c>positive</c>, <c>neutral</c> or <c>negative</c>.</summary>
    public string? SentimentLabel { get; set; }

    /// <summary>P(positive) − P(negative), in [-1, 1].</summary>
    public double? SentimentScore { get; set; }

    /// <summary>The probability of <see cref="SentimentLabel"/>.</summary>
    public double? Confidence { get; set; }

    public string? Topic { get; set; }

    /// <summary>The message's metadata, a JSON object as sent.</summary>
    public string? Metadata { get; set; }

    /// <summary>Set by the database (<c>DEFAULT NOW()</c>, in the server's time zone as designed).</summary>
    public DateTime? CreatedAt { get; set; }

    /// <summary>Name and version of the model that classified the message.</summary>
    public string? ModelVersion { get; set; }

    /// <summary>The entry id on <c>sentiment:input</c>, to trace a row back to the stream.</summary>
    public string? StreamId { get; set; }

    /// <summary>When ingest accepted the message.</summary>
    public DateTimeOffset? IngestedAt { get; set; }

    /// <summary>When the worker classified it, just before the INSERT (the worker's clock).</summary>
    public DateTimeOffset? ProcessedAt { get; set; }

    /// <summary>
    /// When the database wrote the row (<c>clock_timestamp()</c> inside the INSERT, just before its commit);
    /// <c>stored_at − ingested_at</c> is the end-to-end latency. Null on rows stored before the column existed.
    /// </summary>
    public DateTimeOffset? StoredAt { get; set; }

    /// <summary>How sure the topic tagger was of <see cref="Topic"/>, 0–1.</summary>
    public float? TopicConfidence { get; set; }

    /// <summary>Up to five salient words of the message, stop words removed, most salient first.</summary>
    public string[]? Keywords { get; set; }
}
