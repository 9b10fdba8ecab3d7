using System.Collections.Concurrent;
using System.Diagnostics;
using Sentiment.Contracts.Alerts;
using Sentiment.Contracts.Messaging;
using StackExchange.Redis;

namespace Sentiment.Notifier.Delivery;

/// <summary>
/// Feeds alerts to the channel senders: resumes this consumer's own pending alerts, then reads new ones and takes over
/// abandoned ones while fewer than <see cref="NotifierOptions.MaxInFlight"/> are in hand; keeps the ones in hand alive
/// so no replica takes them over; acknowledges each entry once every channel has finished with it.
/// </summary>
public sealed class AlertReader(
    AlertConsumer consumer,
    IReadOnlyList<ChannelSender> senders,
    NotifierOptions options,
    ILogger<AlertReader> logger)
{
    private static readonly TimeSpan MaxReadBackoff = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, PendingAlert> _inFlight = new(StringComparer.Ordinal);

    /// <summary>
    /// Joins the group and reads until the stop. A failure of Redis is logged and the loop backs off; the alerts wait
    /// in the stream.
    /// </summary>
    /// <returns>Whether it joined the group (Redis may have been out of reach until the stop).</returns>
    public async Task<bool> ReadAsync(CancellationToken stoppingToken)
    {
        var joined = false;
        RedisValue ownCursor = "0-0";
        var ownDone = false;
        RedisValue claimCursor = "0-0";
        // Loop timing is wall-clock time, like the polling delays; the TimeProvider is the alerts' and attempts' clock.
        var nextClaim = Stopwatch.GetTimestamp();
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (!joined)
                    {
                        await consumer.EnsureGroupAsync();
                        joined = true;
                        logger.LogInformation("Notifier {Consumer} is reading {Stream} in group {Group} for [{Channels}]",
                            consumer.ConsumerName, StreamNames.Alerts, StreamNames.NotifierGroup,
                            string.Join(", ", senders.Select(sender => sender.ChannelName)));
                    }

                    var read = 0;
                    if (!ownDone && Room() > 0)
                    {
                        var own = await consumer.ReadOwnPendingAsync(ownCursor, Room());
                        ownDone = own.Length == 0;
                        if (!ownDone)
                        {
                            ownCursor = own[^1].Id;
                            read += await DispatchAsync(own, stoppingToken);
                        }
                    }
                    else if (Stopwatch.GetTimestamp() >= nextClaim && Room() > 0)
                    {
                        var (claimed, next) = await consumer.ClaimIdleAsync(claimCursor, Room());
                        claimCursor = next;
                        if (next == "0-0")
                        {
                            nextClaim = Stopwatch.GetTimestamp() + (long)(options.ClaimInterval.TotalSeconds * Stopwatch.Frequency);
                        }

                        read += await DispatchAsync(claimed, stoppingToken);
                    }

                    if (Room() > 0)
                    {
                        read += await DispatchAsync(await consumer.ReadNewAsync(Room()), stoppingToken);
                    }

                    failures = 0;
                    if (read == 0)
                    {
                        await Task.Delay(options.PollInterval, stoppingToken);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    failures++;
                    var delay = TimeSpan.FromTicks(Math.Min(MaxReadBackoff.Ticks, options.PollInterval.Ticks << Math.Min(failures, 16)));
                    logger.LogWarning("Reading {Stream} failed ({Error}); trying again in {Delay}", StreamNames.Alerts, exception.Message, delay);
                    await Task.Delay(delay, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is in hand stays pending in the group and is delivered after a restart or by a replica.
        }

        return joined;
    }

    /// <summary>
    /// Touches the alerts in hand every <see cref="Streams.ConsumerGroupOptions.ClaimInterval"/> so that no replica
    /// takes them over while their retries run; one taken over all the same (this notifier stalled past ClaimMinIdle)
    /// is let go, so that only its new owner goes on sending it.
    /// </summary>
    public async Task KeepInFlightAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.ClaimInterval, stoppingToken);
                try
                {
                    var held = _inFlight.Where(entry => !entry.Value.Lost).Select(entry => entry.Key).ToList();
                    foreach (var key in await consumer.KeepAsync(held))
                    {
                        if (_inFlight.TryGetValue(key, out var pending))
                        {
                            pending.Lose();
                            logger.LogWarning(
                                "Alert {AlertId} (entry {EntryId}) was taken over by another notifier; this one makes no more tries",
                                pending.Alert.Id, key);
                        }
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    logger.LogWarning("Keeping the alerts in hand failed: {Error}", exception.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Acknowledges the entry once all its channels are finished; an abandoned one is left to be taken over.</summary>
    public async Task FinishEntryAsync(PendingAlert pending)
    {
        try
        {
            if (!pending.Abandoned)
            {
                await consumer.AcknowledgeAsync(pending.Entry.Id);
            }
        }
        catch (Exception exception)
        {
            // Left pending: whoever takes it over finds every channel finished and acknowledges it without sending.
            logger.LogWarning("Alert entry {EntryId} could not be acknowledged: {Error}", pending.Entry.Id, exception.Message);
        }
        finally
        {
            _inFlight.TryRemove(pending.Key, out _);
        }
    }

    private int Room() => options.MaxInFlight - _inFlight.Count;

    /// <returns>How many entries were handed to the senders (or finished at once).</returns>
    private async Task<int> DispatchAsync(StreamEntry[] entries, CancellationToken stoppingToken)
    {
        var dispatched = 0;
        foreach (var entry in entries)
        {
            if (entry.Values is not { Length: > 0 })
            {
                logger.LogError("Alert entry {EntryId} was trimmed from {Stream} before it was notified", entry.Id, StreamNames.Alerts);
                await consumer.AcknowledgeAsync(entry.Id);
                continue;
            }

            Alert alert;
            try
            {
                alert = AlertStreamEntry.Parse(entry);
            }
            catch (Exception exception)
            {
                // No retry can make it readable; keeping it pending would only bring it back forever.
                logger.LogError("Alert entry {EntryId} cannot be read and is not notified: {Error}", entry.Id, exception.Message);
                await consumer.AcknowledgeAsync(entry.Id);
                continue;
            }

            var pending = new PendingAlert(entry, alert, senders.Count);
            if (!_inFlight.TryAdd(pending.Key, pending))
            {
                continue; // Already in hand (taken over from ourselves while its keep-alive was late).
            }

            dispatched++;
            if (senders.Count == 0)
            {
                await FinishEntryAsync(pending);
                continue;
            }

            foreach (var sender in senders)
            {
                await sender.EnqueueAsync(pending, stoppingToken);
            }
        }

        return dispatched;
    }
}
