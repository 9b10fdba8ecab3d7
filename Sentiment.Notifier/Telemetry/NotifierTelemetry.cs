using System.Diagnostics;
using System.Diagnostics.Metrics;
using Sentiment.Contracts.Alerts;
using Sentiment.Streams.Tracing;

namespace Sentiment.Notifier.Telemetry;

/// <summary>
/// The notifier's ActivitySource and Meter, named after the service (its assembly) so ServiceDefaults exports them.
/// Every span and metric name is listed in docs/telemetry.md.
/// </summary>
public sealed class NotifierTelemetry
{
    public const string Name = "Sentiment.Notifier";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Counter<long> _notificationFailures;

    public NotifierTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _notificationFailures = meter.CreateCounter<long>(
            "sentiment.notifier.notifications.failed", "{attempt}",
            "Failed notification attempts (every retry counts), by channel and error type.");
    }

    public void RecordNotificationFailure(string channel, string errorType) => _notificationFailures.Add(
        1,
        new KeyValuePair<string, object?>("sentiment.notification.channel", channel),
        new KeyValuePair<string, object?>("error.type", errorType));

    /// <summary>
    /// The delivery of an alert on one channel (reading what earlier deliveries did, each try, recording the outcome),
    /// under <paramref name="parent"/>, the context the alert's stream entry carries.
    /// </summary>
    public static SpanScope StartDelivery(string channel, Alert alert, ActivityContext parent)
    {
        var scope = SpanScope.Start(ActivitySource, $"deliver {channel}", ActivityKind.Internal, parent);
        if (scope.Activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag("sentiment.notification.channel", channel);
            activity.SetTag("sentiment.alert.id", alert.Id.ToString());
            activity.SetTag("sentiment.alert.type", alert.Type);
        }

        return scope;
    }

    /// <summary>One try at sending an alert on one channel, under its delivery span.</summary>
    public static SpanScope StartNotification(string channel, Alert alert, int attempt, ActivityContext parent)
    {
        var scope = SpanScope.Start(ActivitySource, $"notify {channel}", ActivityKind.Client, parent);
        if (scope.Activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag("sentiment.notification.channel", channel);
            activity.SetTag("sentiment.notification.attempt", attempt);
            activity.SetTag("sentiment.alert.id", alert.Id.ToString());
            activity.SetTag("sentiment.alert.type", alert.Type);
        }

        return scope;
    }
}
