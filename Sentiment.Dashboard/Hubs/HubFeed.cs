using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Sentiment.Dashboard.Live;
using Sentiment.Dashboard.Telemetry;

namespace Sentiment.Dashboard.Hubs;

/// <summary>
/// Gives each connection of this instance its own <see cref="LiveUpdates"/> subscription, so each gets at most
/// 4 updates a second and a slow one only gets bigger updates.
/// </summary>
/// <remarks>
/// Updates go to each connection directly (<c>Clients.Client</c> of a local connection skips the backplane):
/// every instance follows the whole pipeline itself, so sending them through Redis would deliver each one once
/// per instance. What starts on one instance, an acknowledgement, goes to <c>Clients.All</c> through the backplane.
/// </remarks>
public sealed class HubFeed(
    LiveUpdates live,
    IHubContext<SentimentHub> hub,
    DashboardTelemetry telemetry,
    ILogger<HubFeed> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, IDisposable> _subscriptions = new(StringComparer.Ordinal);

    public int ConnectionCount => _subscriptions.Count;

    public bool IsConnected(string connectionId) => _subscriptions.ContainsKey(connectionId);

    public void Connect(string connectionId)
    {
        var subscription = live.Subscribe(batch => SendAsync(connectionId, batch));
        if (_subscriptions.TryAdd(connectionId, subscription))
        {
            telemetry.ConnectionOpened();
        }
        else
        {
            subscription.Dispose();
        }
    }

    public void Disconnect(string connectionId)
    {
        if (_subscriptions.TryRemove(connectionId, out var subscription))
        {
            subscription.Dispose();
            telemetry.ConnectionClosed();
        }
    }

    public void Dispose()
    {
        foreach (var connectionId in _subscriptions.Keys)
        {
            Disconnect(connectionId);
        }
    }

    private async Task SendAsync(string connectionId, LiveBatch batch)
    {
        var update = LiveUpdate.From(batch);
        if (update.ResultCount == 0 && update.Alerts.Count == 0)
        {
            return; // Only acknowledgements, which reach hub clients through the backplane.
        }

        // One span per alert pushed, in the alert's own trace (its entry's traceparent), so the trace of a message
        // shows when its alert reached each browser.
        var spans = new List<Activity>(batch.NewAlerts.Count);
        foreach (var alert in batch.NewAlerts)
        {
            var span = DashboardTelemetry.ActivitySource.StartActivity(
                $"send {SentimentHub.Path}", ActivityKind.Producer, alert.TraceParent);
            if (span is not null)
            {
                span.SetTag("messaging.system", "signalr");
                span.SetTag("messaging.destination.name", SentimentHub.Path);
                span.SetTag("messaging.operation.type", "send");
                span.SetTag("signalr.connection.id", connectionId);
                span.SetTag("sentiment.alert.id", alert.Alert.Id.ToString());
                spans.Add(span);
            }
        }

        try
        {
            await hub.Clients.Client(connectionId).SendAsync(FeedMethods.Update, update);
        }
        catch (Exception exception)
        {
            foreach (var span in spans)
            {
                span.SetStatus(ActivityStatusCode.Error, exception.Message);
            }

            logger.LogDebug(exception, "An update to connection {ConnectionId} failed", connectionId);
        }
        finally
        {
            foreach (var span in spans)
            {
                span.Dispose();
            }
        }
    }
}
