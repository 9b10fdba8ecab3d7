namespace Sentiment.Notifier.Delivery;

/// <summary>Thrown before a try of an alert that another notifier took over, to end its retries here.</summary>
internal sealed class TakenOverException : Exception;
