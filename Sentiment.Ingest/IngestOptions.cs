using System.ComponentModel.DataAnnotations;

namespace Sentiment.Ingest;

/// <summary>The ingest API's limits, bound from the <c>Ingest</c> section.</summary>
public sealed class IngestOptions
{
    public const string SectionName = "Ingest";

    /// <summary>Largest request body accepted; larger ones get 413. 1 MB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Most messages in one request (a JSON array); more get a 400 naming the limit.</summary>
    [Range(1, 10_000)]
    public int MaxMessagesPerRequest { get; set; } = 1_000;

    /// <summary>The Retry-After a client gets with a 503 while Redis is unreachable.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 5;
}
