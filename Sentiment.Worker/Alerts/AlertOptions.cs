using System.ComponentModel.DataAnnotations;

namespace Sentiment.Worker.Alerts;

/// <summary>The alert rules, bound from the <c>Alerts</c> section. Every replica must run with the same values.</summary>
public sealed class AlertOptions
{
    public const string SectionName = "Alerts";

    /// <summary>Fallback when neither Alerts:DashboardBaseUrl nor services:dashboard:http:0 is set.</summary>
    public const string DefaultDashboardBaseUrl = "http://127.0.0.1:5081";

    /// <summary>Off switch for every rule (notifications follow alerts, so they stop too).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Links in alerts point to <c>{DashboardBaseUrl}/messages/{messageId}</c>.</summary>
    [Required]
    [Url]
    public string DashboardBaseUrl { get; set; } = DefaultDashboardBaseUrl;

    /// <summary>A message scoring below this is "very negative".</summary>
    [Range(-1.0, 1.0)]
    public double VeryNegativeScore { get; set; } = -0.5;

    /// <summary>The spike alert fires when more than this many negative messages fall in <see cref="SpikeWindow"/>.</summary>
    [Range(1, 100_000_000)]
    public int SpikeThreshold { get; set; } = 100;

    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan SpikeWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Also fire the spike alert when the negatives of the last <see cref="SpikeWindow"/> exceed the mean of the
    /// trailing <see cref="RelativeSpikeHistoryHours"/> hourly counts by <see cref="RelativeSpikeSigmas"/> standard
    /// deviations. Off by default: until a day of history exists the mean is meaningless.
    /// </summary>
    public bool RelativeSpikeEnabled { get; set; }

    [Range(0.5, 100.0)]
    public double RelativeSpikeSigmas { get; set; } = 3.0;

    [Range(2, 168)]
    public int RelativeSpikeHistoryHours { get; set; } = 24;

    /// <summary>The relative rule never fires on fewer negatives than this, so a quiet night does not page anyone.</summary>
    [Range(1, 100_000_000)]
    public int RelativeSpikeMinCount { get; set; } = 20;

    /// <summary>The repeated-negatives alert fires at this many negatives from one user of one source.</summary>
    [Range(2, 10_000)]
    public int RepeatedNegativesCount { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan RepeatedNegativesWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>After an alert fires, the same rule and key stay silent this long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often each worker looks for alerts stored but never published (see <see cref="AlertOutbox"/>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan OutboxInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How old an unpublished alert must be before the sweep publishes it: a worker publishes its own alerts within
    /// milliseconds, so younger ones are most likely still on their way.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan OutboxGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Prefix of the Redis keys holding the rules' state (counts and cooldowns).</summary>
    [Required]
    [MinLength(1)]
    public string KeyPrefix { get; set; } = "sentiment:alert-state:";
}
