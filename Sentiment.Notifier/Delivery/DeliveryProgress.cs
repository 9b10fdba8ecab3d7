namespace Sentiment.Notifier.Delivery;

/// <summary>Where an alert's delivery on one channel stands: finished (delivered or given up) and tries made so far.</summary>
public readonly record struct DeliveryProgress(string? Outcome, int Attempts)
{
    public bool IsFinished => Outcome is not null;
}
