using System.ComponentModel.DataAnnotations;

namespace Sentiment.Ingest.Authentication;

/// <summary>
/// The <c>Ingest:RateLimit</c> section: requests per second each API key may make (a token bucket), so one client
/// cannot take all of ingest and Redis. A request carries up to <see cref="IngestOptions.MaxMessagesPerRequest"/>
/// messages; past the limit the answer is 429 with Retry-After.
/// </summary>
public sealed class IngestRateLimitOptions
{
    public const string SectionName = "Ingest:RateLimit";

    /// <summary>Requests a key may make each second, sustained.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerSecond { get; set; } = 200;

    /// <summary>Requests a key may make at once after a quiet spell (the bucket's size).</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 400;
}
