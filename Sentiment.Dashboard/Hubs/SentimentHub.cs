using Microsoft.AspNetCore.SignalR;

namespace Sentiment.Dashboard.Hubs;

/// <summary>
/// <c>/hubs/sentiment</c>: a read-only feed. Clients call nothing; they listen for <see cref="FeedMethods.Update"/>
/// and <see cref="FeedMethods.AlertAcknowledged"/> (docs/dashboard.md).
/// </summary>
public sealed class SentimentHub(HubFeed feed) : Hub
{
    public const string Path = "/hubs/sentiment";

    public override Task OnConnectedAsync()
    {
        feed.Connect(Context.ConnectionId);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        feed.Disconnect(Context.ConnectionId);
        return Task.CompletedTask;
    }
}
