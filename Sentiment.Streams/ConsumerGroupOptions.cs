using System.ComponentModel.DataAnnotations;

namespace Sentiment.Streams;

/// <summary>
/// The settings every consumer group reader has, under its service's section: <c>Worker</c> for the processors,
/// <c>Notifier</c> for the notifiers. Each service sets its own defaults.
/// </summary>
public abstract class ConsumerGroupOptions
{
    /// <summary>How long to wait before reading again after a read found nothing new.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan PollInterval { get; set; }

    /// <summary>
    /// How long an entry must have been pending (delivered, not acknowledged) before another consumer takes it over
    /// with XAUTOCLAIM.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan ClaimMinIdle { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often to look for entries to take over, besides at start-up.</summary>
    [Range(typeof(TimeSpan), "00:00:00.005", "1.00:00:00")]
    public TimeSpan ClaimInterval { get; set; }

    /// <summary>
    /// This replica's consumer name in the group. It must be unique among the live replicas and should stay the same
    /// when the replica restarts, so that it takes back at once what it held (the AppHost sets
    /// <c>{host}-{resource}-{replica index}</c>; in a deployment use e.g. a StatefulSet pod's name). By default host name
    /// and process id: unique, but new on every start, so what a killed replica held waits <see cref="ClaimMinIdle"/>.
    /// </summary>
    [MaxLength(200)]
    public string? ConsumerName { get; set; }

    /// <summary>
    /// First wait before retrying Redis or PostgreSQL while it is down; doubles (with jitter) up to
    /// <see cref="RetryMaxDelay"/>. Nothing in hand is given up while it waits (<see cref="OutageRetry"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);
}
