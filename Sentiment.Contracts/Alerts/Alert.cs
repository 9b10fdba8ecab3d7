using System.Text.Json.Serialization;

namespace Sentiment.Contracts.Alerts;

/// <summary>
/// An alert raised by the workers: a row of the <c>alerts</c> table and the body of an entry on
/// <c>sentiment:alerts</c>. Shared so the dashboard can read both.
/// </summary>
public sealed class Alert
{
    /// <summary>Derived from rule, key and triggering message, so a redelivered batch re-raises the same alert.</summary>
    public Guid Id { get; set; }

    /// <summary>One of <see cref="AlertTypes"/>.</summary>
    public required string Type { get; set; }

    /// <summary>One of <see cref="AlertSeverities"/>.</summary>
    public required string Severity { get; set; }

    /// <summary>What the alert is deduplicated on: the source, or source and user.</summary>
    public required string RuleKey { get; set; }

    /// <summary>The message that made the rule fire first, then any others the rule counted (oldest first).</summary>
    public required string[] MessageIds { get; set; }

    /// <summary>The triggering message's sentiment score, −1 to 1.</summary>
    public double Score { get; set; }

    /// <summary>The start of the triggering message's text, at most <see cref="MaxSnippetLength"/> characters.</summary>
    public required string Snippet { get; set; }

    public required string Source { get; set; }

    /// <summary>The triggering message in the dashboard.</summary>
    public required string Link { get; set; }

    /// <summary>A sentence saying why the rule fired, e.g. "101 negative messages in the last 60 minutes (threshold 100)".</summary>
    public required string Reason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>One of <see cref="AlertStatuses"/>.</summary>
    public required string Status { get; set; }

    /// <summary>When someone acknowledged it on the dashboard; null (and left out of the JSON) while it is active,
    /// so the stream entry and the notification payloads of a new alert are as they were before acknowledging existed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? AcknowledgedAt { get; set; }

    public const int MaxSnippetLength = 200;
}

public static class AlertTypes
{
    public const string VeryNegative = "very_negative";
    public const string NegativeSpike = "negative_spike";
    public const string RepeatedNegatives = "repeated_negatives";
}

public static class AlertSeverities
{
    public const string Warning = "warning";
    public const string Critical = "critical";
}

public static class AlertStatuses
{
    public const string Active = "active";
    public const string Acknowledged = "acknowledged";
}
