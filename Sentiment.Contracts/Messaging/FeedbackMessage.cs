namespace Sentiment.Contracts.Messaging;

/// <summary>
/// One piece of customer feedback as ingest accepted it, in the original design's message format
/// plus the time ingest accepted it. Travels on <see cref="StreamNames.Input"/> as a <see cref="FeedbackStreamEntry"/>.
/// </summary>
/// <param name="Id">The sender's message id, or a UUID ingest chose; the key that makes storage idempotent.</param>
/// <param name="Timestamp">When the feedback was written, in UTC.</param>
/// <param name="Source">Where it came from: <c>[a-z0-9_-]</c>, at most <see cref="MaxSourceLength"/> characters.</param>
/// <param name="Text">The text as sent, trimmed.</param>
/// <param name="Metadata">A JSON object as sent, or null.</param>
/// <param name="IngestedAt">When ingest accepted it, in UTC; with the stored time it gives the end-to-end latency.</param>
public sealed record FeedbackMessage(
    string Id,
    DateTimeOffset Timestamp,
    string Source,
    string Text,
    string? Metadata,
    DateTimeOffset IngestedAt)
{
    // The limits of the original design's table and of the ingest API.
    public const int MaxIdLength = 255;
    public const int MaxSourceLength = 50;
    public const int MaxTextLength = 10_000;
    public const int MaxMetadataBytes = 16 * 1024;

    /// <summary>W3C trace context of the ingest request (<c>traceparent</c>), carried across the stream.</summary>
    public string? TraceParent { get; init; }

    /// <summary>W3C <c>tracestate</c> of the ingest request.</summary>
    public string? TraceState { get; init; }
}
