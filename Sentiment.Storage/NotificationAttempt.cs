namespace Sentiment.Storage;

/// <summary>One try at delivering an alert on one channel: a row of <c>notification_attempts</c>.</summary>
public sealed class NotificationAttempt
{
    public long Id { get; set; }

    public Guid AlertId { get; set; }

    /// <summary><c>slack</c>, <c>webhook</c>, <c>email</c> or <c>sms</c>.</summary>
    public required string Channel { get; set; }

    /// <summary>1 for the first try.</summary>
    public int Attempt { get; set; }

    /// <summary>One of <see cref="NotificationOutcomes"/>.</summary>
    public required string Outcome { get; set; }

    /// <summary>Why the attempt failed (never a secret); null when it succeeded.</summary>
    public string? Error { get; set; }

    public DateTimeOffset AttemptedAt { get; set; }
}

public static class NotificationOutcomes
{
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}
