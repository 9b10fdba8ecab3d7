using System.ComponentModel.DataAnnotations;
using Sentiment.Streams;

namespace Sentiment.Worker;

/// <summary>
/// How the worker consumes <c>sentiment:input</c>, bound from the <c>Worker</c> section. The consumer-group settings
/// (polling, taking over, the consumer name, the outage backoff) are <see cref="ConsumerGroupOptions"/>'s.
/// </summary>
public sealed class WorkerOptions : ConsumerGroupOptions
{
    public const string SectionName = "Worker";

    public WorkerOptions()
    {
        PollInterval = TimeSpan.FromMilliseconds(100);
        // Must stay well above the time one batch takes, or entries still being worked on are taken over too.
        ClaimMinIdle = TimeSpan.FromSeconds(60);
        ClaimInterval = TimeSpan.FromSeconds(30);
    }

    /// <summary>
    /// Entries read per XREADGROUP (its COUNT), classified in one model run and stored in one statement.
    /// <c>Model:MaxBatchSize</c> follows it (WorkerServiceExtensions).
    /// </summary>
    [Range(1, 4096)]
    public int BatchSize { get; set; } = 64;

    /// <summary>Deliveries after which a failing entry goes to <c>sentiment:dead-letter</c>.</summary>
    [Range(1, 100)]
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>Approximate cap of <c>sentiment:dead-letter</c> (XADD MAXLEN ~).</summary>
    [Range(1000, long.MaxValue)]
    public long DeadLetterMaxLength { get; set; } = 1_000_000;

    /// <summary>
    /// How long entries of <c>sentiment:input</c> stay after every consumer group has acknowledged them (for replay
    /// and inspection). Nothing unacknowledged is ever removed, however old.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often acknowledged entries older than <see cref="Retention"/> are trimmed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan TrimInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the consumer group's lag and pending count are read (XINFO GROUPS) for the metrics.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ConsumerMetricsInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the pending list of the text search index is merged into it (<c>gin_clean_pending_list</c>), off the
    /// insert path. Longer lets the list grow, which every text search reads through; the list's limit (32 MB) makes
    /// an insert merge it itself.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan SearchIndexFlushInterval { get; set; } = TimeSpan.FromSeconds(2);
}
