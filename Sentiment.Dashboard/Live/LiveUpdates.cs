using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Sentiment.Contracts;
using Sentiment.Contracts.Messaging;
using Sentiment.Dashboard.Queries;

namespace Sentiment.Dashboard.Live;

/// <summary>
/// This dashboard instance's live feed. The Redis readers (<see cref="ResultsChannelReader"/>,
/// <see cref="AlertStreamReader"/>) add what arrives; each subscriber (a Blazor view, a hub connection) is called
/// with what arrived since its previous call, at most once per <see cref="LiveOptions.MinBatchInterval"/>
/// (4 times a second by default) however fast things arrive, and not at all while nothing does.
/// </summary>
/// <remarks>
/// Each subscriber has its own accumulator and pump, so a slow one (a browser on a bad link) only gets bigger
/// batches and never holds up the others. What a batch lists is capped (<see cref="MaxResultsPerBatch"/>);
/// its counts are not, so they add up to every result announced.
/// </remarks>
public sealed class LiveUpdates(IOptions<LiveOptions> options, TimeProvider time, ILogger<LiveUpdates> logger) : IDisposable
{
    /// <summary>The most result summaries one batch lists (the newest); its counts cover all of them.</summary>
    /// <remarks>
    /// Also the most a hub update lists (docs/dashboard.md promises its clients 100). The Blazor views re-query
    /// rather than read the list, so the hub is its only reader: 100 a quarter-second is more than anyone watching
    /// can read, and keeps an update small for a browser on a slow link.
    /// </remarks>
    public const int MaxResultsPerBatch = 100;

    private readonly TimeSpan _minInterval = options.Value.MinBatchInterval;
    private readonly TimeProvider _time = time;
    private readonly ILogger _logger = logger;
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();

    public int SubscriberCount => _subscriptions.Count;

    /// <summary>Calls <paramref name="onBatch"/> with each batch until the returned handle is disposed.</summary>
    /// <remarks>
    /// Calls to one subscriber never overlap. An exception from it is logged and the subscription goes on.
    /// Disposing does not wait for a call in progress.
    /// </remarks>
    public IDisposable Subscribe(Func<LiveBatch, Task> onBatch)
    {
        var subscription = new Subscription(this, onBatch);
        _subscriptions.TryAdd(subscription, 0);
        subscription.Start();
        return subscription;
    }

    public void AddResults(IReadOnlyList<ResultSummary> results)
    {
        if (results.Count == 0)
        {
            return;
        }

        foreach (var subscription in _subscriptions.Keys)
        {
            subscription.Add(pending => pending.AddResults(results));
        }
    }

    public void AddAlert(LiveAlert alert)
    {
        foreach (var subscription in _subscriptions.Keys)
        {
            subscription.Add(pending => pending.NewAlerts.Add(alert));
        }
    }

    public void AddAcknowledgement(AlertAcknowledgement acknowledgement)
    {
        foreach (var subscription in _subscriptions.Keys)
        {
            subscription.Add(pending => pending.AcknowledgedAlerts.Add(acknowledgement));
        }
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions.Keys)
        {
            subscription.Dispose();
        }
    }

    private sealed class Subscription(LiveUpdates owner, Func<LiveBatch, Task> onBatch) : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly CancellationTokenSource _stop = new();

        // Holds at most one "something is pending" token: adds while a batch is being assembled or delivered
        // collapse into one wake-up.
        private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

        private PendingBatch _pending = new();

        public void Start() => _ = Task.Run(PumpAsync);

        public void Add(Action<PendingBatch> add)
        {
            lock (_gate)
            {
                add(_pending);
            }

            _signal.Writer.TryWrite(true);
        }

        public void Dispose()
        {
            if (owner._subscriptions.TryRemove(this, out _))
            {
                _stop.Cancel();
                _signal.Writer.TryComplete();
            }
        }

        private async Task PumpAsync()
        {
            var token = _stop.Token;
            long? lastCall = null;
            try
            {
                while (await _signal.Reader.WaitToReadAsync(token))
                {
                    _signal.Reader.TryRead(out _);
                    // Checked again after each delay: a timer may fire a little before the clock says it is due.
                    TimeSpan wait;
                    while (lastCall is { } last && (wait = owner._minInterval - owner._time.GetElapsedTime(last)) > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, owner._time, token);
                    }

                    PendingBatch taken;
                    lock (_gate)
                    {
                        taken = _pending;
                        _pending = new PendingBatch();
                    }

                    if (taken.IsEmpty)
                    {
                        continue; // Its content went out with the previous batch.
                    }

                    // The batch's time is read before the interval starts, so the At of two batches are always
                    // at least the interval apart.
                    var at = owner._time.GetUtcNow();
                    lastCall = owner._time.GetTimestamp();
                    try
                    {
                        await onBatch(taken.Build(at));
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException || !token.IsCancellationRequested)
                    {
                        owner._logger.LogWarning(exception, "A live-update subscriber failed on a batch; it stays subscribed");
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Unsubscribed.
            }
            finally
            {
                _stop.Dispose();
            }
        }
    }

    /// <summary>What has arrived for one subscriber since its previous batch.</summary>
    private sealed class PendingBatch
    {
        private readonly Queue<ResultSummary> _newest = new();
        private long _positive;
        private long _neutral;
        private long _negative;
        private long _count;
        private double _scoreSum;

        public List<LiveAlert> NewAlerts { get; } = [];

        public List<AlertAcknowledgement> AcknowledgedAlerts { get; } = [];

        public bool IsEmpty => _count == 0 && NewAlerts.Count == 0 && AcknowledgedAlerts.Count == 0;

        public void AddResults(IReadOnlyList<ResultSummary> results)
        {
            foreach (var result in results)
            {
                _count++;
                _scoreSum += result.Score;
                switch (result.Label)
                {
                    case SentimentLabels.Positive: _positive++; break;
                    case SentimentLabels.Neutral: _neutral++; break;
                    case SentimentLabels.Negative: _negative++; break;
                }

                _newest.Enqueue(result);
                if (_newest.Count > MaxResultsPerBatch)
                {
                    _newest.Dequeue();
                }
            }
        }

        public LiveBatch Build(DateTimeOffset at) => new(
            at, _count, new LabelCounts(_positive, _neutral, _negative), _scoreSum, [.. _newest], NewAlerts, AcknowledgedAlerts);
    }
}
