using System.ComponentModel.DataAnnotations;

namespace Sentiment.MigrationService.Migrations;

public sealed class MigrationOptions
{
    public const string SectionName = "Migrations";

    /// <summary>How long to keep retrying while PostgreSQL is unreachable before giving up with exit code 1.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>First wait between tries; it doubles up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);
}
