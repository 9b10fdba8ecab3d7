namespace Sentiment.Notifier.Channels;

/// <summary>A failure that trying again will not fix (e.g. HTTP 400: the receiver rejects the payload).</summary>
public sealed class PermanentDeliveryException(string message) : Exception(message);
