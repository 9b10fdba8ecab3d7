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
