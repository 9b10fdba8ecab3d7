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

    /// <summary>The Retry-After a client gets with a 503: Redis unreachable or out of memory, or the backlog full.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>
    /// Messages the processors may have still to do (never delivered to their group, or delivered and not yet
    /// acknowledged) before ingest answers 503 with Retry-After instead of publishing more. The default is some minutes
    /// of the workers' throughput and, at a few KB a message, well inside Redis's <c>maxmemory</c>.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MaxBacklog { get; set; } = 100_000;

    /// <summary>
    /// How often the backlog is read (one small script, not one per request). The bound can be passed by what arrives
    /// within one interval.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan BacklogSampleInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
