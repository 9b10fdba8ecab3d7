using System.ComponentModel.DataAnnotations;

namespace Sentiment.Worker;

/// <summary>How the worker consumes <c>sentiment:input</c>, bound from the <c>Worker</c> section.</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>Entries read per XREADGROUP (its COUNT); also the classification and insert batch.</summary>
    [Range(1, 4096)]
    public int BatchSize { get; set; } = 64;

    /// <summary>How long to wait before reading again after a read found nothing new.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long an entry must have been pending (delivered, not acknowledged) before another consumer takes it over
    /// with XAUTOCLAIM. Must be well above the time one batch takes, or entries still being worked on are taken too.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan ClaimMinIdle { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often to look for entries to take over, besides at start-up.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan ClaimInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries after which a failing entry goes to <c>sentiment:dead-letter</c>.</summary>
    [Range(1, 100)]
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>First wait before retrying Redis or PostgreSQL; doubles (with jitter) up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Approximate cap of <c>sentiment:dead-letter</c> (XADD MAXLEN ~).</summary>
    [Range(1000, long.MaxValue)]
    public long DeadLetterMaxLength { get; set; } = 1_000_000;

    /// <summary>How often the consumer group's lag and pending count are read (XINFO GROUPS) for the metrics.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ConsumerMetricsInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>This replica's consumer name in the group; by default host name and process id.</summary>
    [MaxLength(200)]
    public string? ConsumerName { get; set; }
}
