using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;
using Sentiment.Dashboard.Hubs;
using Sentiment.Dashboard.Live;

namespace Sentiment.Tests.Dashboard.Support;

/// <summary>What a SignalR client of /hubs/sentiment received, and when (on the client's clock).</summary>
public sealed class FeedRecorder
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public ConcurrentQueue<(TimeSpan ReceivedAt, LiveUpdate Update)> Updates { get; } = new();

    public ConcurrentQueue<AlertAcknowledgement> Acknowledgements { get; } = new();

    public long ResultCount => Updates.Sum(received => received.Update.ResultCount);

    public void Attach(HubConnection connection)
    {
        connection.On<LiveUpdate>(FeedMethods.Update, update => Updates.Enqueue((_clock.Elapsed, update)));
        connection.On<AlertAcknowledgement>(FeedMethods.AlertAcknowledged, Acknowledgements.Enqueue);
    }
}
