using Sentiment.Contracts.Alerts;

namespace Sentiment.Notifier.Channels;

/// <summary>One way of telling people about an alert. A try either completes or throws.</summary>
public interface INotificationChannel
{
    /// <summary><c>slack</c>, <c>webhook</c>, <c>email</c> or <c>sms</c>: the name recorded with each attempt.</summary>
    string Name { get; }

    bool IsConfigured { get; }

    Task SendAsync(Alert alert, CancellationToken cancellationToken);
}

/// <summary>A failure that trying again will not fix (e.g. HTTP 400: the receiver rejects the payload).</summary>
public sealed class PermanentDeliveryException(string message) : Exception(message);
