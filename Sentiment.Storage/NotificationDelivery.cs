namespace Sentiment.Storage;

/// <summary>
/// How an alert's delivery on one channel ended: a row of <c>notification_deliveries</c>, one per alert and channel,
/// written once the channel has delivered it or given up. A notifier that gets the alert again (a redelivered stream
/// entry) finds the row and does not send it on that channel again.
/// </summary>
public sealed class NotificationDelivery
{
    public Guid AlertId { get; set; }

    /// <summary><c>slack</c>, <c>webhook</c>, <c>email</c> or <c>sms</c>.</summary>
    public required string Channel { get; set; }

    /// <summary><see cref="NotificationOutcomes.Delivered"/>, or <see cref="NotificationOutcomes.Failed"/> when the channel gave up.</summary>
    public required string Outcome { get; set; }

    /// <summary>Tries it took, across workers (the last row of <c>notification_attempts</c> for the alert and channel).</summary>
    public int Attempts { get; set; }

    public DateTimeOffset CompletedAt { get; set; }
}
