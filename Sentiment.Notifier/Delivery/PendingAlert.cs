using System.Diagnostics;
using Sentiment.Contracts.Alerts;
using Sentiment.Contracts.Messaging;
using StackExchange.Redis;

namespace Sentiment.Notifier.Delivery;

/// <summary>An alert entry in hand, until each channel has finished with it.</summary>
public sealed class PendingAlert(StreamEntry entry, Alert alert, int channels)
{
    private int _remaining = channels;
    private volatile bool _abandoned;
    private volatile bool _lost;

    public string Key { get; } = entry.Id.ToString();

    /// <summary>The stream entry, acknowledged and kept alive by its id.</summary>
    public StreamEntry Entry => entry;

    public Alert Alert => alert;

    /// <summary>The trace context the entry carries: every channel's delivery span continues it.</summary>
    public ActivityContext TraceContext { get; } = StreamTraceContext.Extract(entry);

    /// <summary>Some channel left it for a later delivery: it is not acknowledged here.</summary>
    public bool Abandoned => _abandoned;

    /// <summary>Taken over by another notifier: no more tries, and not acknowledged here.</summary>
    public bool Lost => _lost;

    public void Abandon() => _abandoned = true;

    public void Lose()
    {
        _lost = true;
        _abandoned = true;
    }

    /// <returns>True for the last channel to finish.</returns>
    public bool FinishChannel() => Interlocked.Decrement(ref _remaining) == 0;
}
