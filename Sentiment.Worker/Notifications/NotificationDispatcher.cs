using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Sentiment.Contracts.Alerts;
using Sentiment.Contracts.Messaging;
using Sentiment.Storage;
using Sentiment.Worker.Processing;
using Sentiment.Worker.Telemetry;
using StackExchange.Redis;

namespace Sentiment.Worker.Notifications;

/// <summary>
/// Delivers the alerts on <c>sentiment:alerts</c> on every configured channel, reading them through the notifiers'
/// consumer group, so alerts spread across replicas and survive restarts: an entry is acknowledged only once every
/// channel has delivered its alert or given up, and one left pending by a stopped worker is taken over (XAUTOCLAIM)
/// or, under the same consumer name, resumed at start.
/// </summary>
/// <remarks>
/// Each channel has its own sender, so a slow or failing channel delays nothing but itself. Each try is retried with
/// exponential backoff and jitter (Polly) and recorded in <c>notification_attempts</c>; how each channel's delivery
/// ended goes into <c>notification_deliveries</c>, which a redelivered alert is checked against, so a channel that
/// finished is never sent the alert again, and tries are numbered on from where a stopped worker left them.
/// Retries happen here rather than in an HttpClient resilience handler so that every channel (SMTP included) retries
/// the same way and every try is visible and recorded.
/// </remarks>
public sealed class NotificationDispatcher : BackgroundService
{
    private static readonly ResiliencePropertyKey<int> PreviousAttemptsKey = new("sentiment.notification.previous-attempts");
    private static readonly TimeSpan MaxReadBackoff = TimeSpan.FromSeconds(10);

    private readonly List<(INotificationChannel Channel, Channel<PendingAlert> Queue)> _channels;
    private readonly ConcurrentDictionary<string, PendingAlert> _inFlight = new(StringComparer.Ordinal);
    private readonly NotificationConsumer _consumer;
    private readonly NotificationAttemptWriter _records;
    private readonly WorkerTelemetry _telemetry;
    private readonly NotificationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<NotificationDispatcher> _logger;
    private readonly ResiliencePipeline _delivery;
    private readonly ResiliencePipeline _store;

    public NotificationDispatcher(
        IEnumerable<INotificationChannel> channels,
        NotificationConsumer consumer,
        NotificationAttemptWriter records,
        IOptions<NotificationOptions> options,
        IOptions<WorkerOptions> workerOptions,
        TimeProvider time,
        WorkerTelemetry telemetry,
        ILogger<NotificationDispatcher> logger)
    {
        _options = options.Value;
        _consumer = consumer;
        _records = records;
        _telemetry = telemetry;
        _time = time;
        _logger = logger;
        // At most MaxInFlight alerts are in hand, so a queue never holds more.
        _channels = [.. channels
            .Where(channel => channel.IsConfigured)
            .Select(channel => (channel, Channel.CreateBounded<PendingAlert>(new BoundedChannelOptions(_options.MaxInFlight)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            })))];
        _delivery = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                // Tries count across workers: a delivery taken over after two tries has MaxAttempts − 2 left.
                ShouldHandle = arguments => ValueTask.FromResult(
                    arguments.Outcome.Exception is { } exception
                    && (exception is TimeoutRejectedException || exception is not (PermanentDeliveryException or OperationCanceledException or TakenOverException))
                    && arguments.Context.Properties.GetValue(PreviousAttemptsKey, 0) + arguments.AttemptNumber + 1 < _options.MaxAttempts),
                MaxRetryAttempts = _options.MaxAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                MaxDelay = _options.RetryMaxDelay,
            })
            .AddTimeout(_options.AttemptTimeout)
            .Build();
        // The records are what keeps a redelivered alert from being sent twice: an outage of PostgreSQL is waited
        // out rather than skipped.
        _store = DependencyRetry.CreatePipeline(
            workerOptions.Value,
            time,
            arguments =>
            {
                _logger.LogWarning("Recording a notification failed (attempt {Attempt}): {Error}; retrying in {Delay}",
                    arguments.AttemptNumber + 1, arguments.Outcome.Exception?.Message, arguments.RetryDelay);
                return default;
            });
    }

    /// <summary>The channels alerts go to.</summary>
    public IReadOnlyList<string> ChannelNames => [.. _channels.Select(entry => entry.Channel.Name)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var senders = _channels
            .Select(entry => Task.Run(() => SendAllAsync(entry.Channel, entry.Queue.Reader, stoppingToken), CancellationToken.None))
            .ToList();
        var keeper = Task.Run(() => KeepInFlightAsync(stoppingToken), CancellationToken.None);
        var joined = await ReadAsync(stoppingToken);
        await Task.WhenAll([.. senders, keeper]);
        if (joined)
        {
            // The senders have finished or let go of what they held: with no alert pending, the name is no longer
            // needed; one still holding alerts keeps it, so they stay its own to resume.
            await _consumer.LeaveGroupOnStopAsync();
        }
    }

    /// <summary>
    /// Joins the group, resumes this consumer's own pending alerts, then reads new ones and takes over abandoned ones
    /// while there is room. A failure of Redis is logged and the loop backs off; the alerts wait in the stream.
    /// </summary>
    /// <returns>Whether it joined the group (Redis may have been out of reach until the stop).</returns>
    private async Task<bool> ReadAsync(CancellationToken stoppingToken)
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
                        await _consumer.EnsureGroupAsync();
                        joined = true;
                        _logger.LogInformation("Notifier {Consumer} is reading {Stream} in group {Group} for [{Channels}]",
                            _consumer.ConsumerName, StreamNames.Alerts, StreamNames.NotifierGroup, string.Join(", ", ChannelNames));
                    }

                    var read = 0;
                    if (!ownDone && Room() > 0)
                    {
                        var own = await _consumer.ReadOwnPendingAsync(ownCursor, Room());
                        ownDone = own.Length == 0;
                        if (!ownDone)
                        {
                            ownCursor = own[^1].Id;
                            read += await DispatchAsync(own, stoppingToken);
                        }
                    }
                    else if (Stopwatch.GetTimestamp() >= nextClaim && Room() > 0)
                    {
                        var (claimed, next) = await _consumer.ClaimIdleAsync(claimCursor, Room());
                        claimCursor = next;
                        if (next == "0-0")
                        {
                            nextClaim = Stopwatch.GetTimestamp() + (long)(_options.ClaimInterval.TotalSeconds * Stopwatch.Frequency);
                        }

                        read += await DispatchAsync(claimed, stoppingToken);
                    }

                    if (Room() > 0)
                    {
                        read += await DispatchAsync(await _consumer.ReadNewAsync(Room()), stoppingToken);
                    }

                    failures = 0;
                    if (read == 0)
                    {
                        await Task.Delay(_options.PollInterval, stoppingToken);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    failures++;
                    var delay = TimeSpan.FromTicks(Math.Min(MaxReadBackoff.Ticks, _options.PollInterval.Ticks << Math.Min(failures, 16)));
                    _logger.LogWarning("Reading {Stream} failed ({Error}); trying again in {Delay}", StreamNames.Alerts, exception.Message, delay);
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

    private int Room() => _options.MaxInFlight - _inFlight.Count;

    /// <returns>How many entries were handed to the senders (or finished at once).</returns>
    private async Task<int> DispatchAsync(StreamEntry[] entries, CancellationToken stoppingToken)
    {
        var dispatched = 0;
        foreach (var entry in entries)
        {
            if (entry.Values is not { Length: > 0 })
            {
                _logger.LogError("Alert entry {EntryId} was trimmed from {Stream} before it was notified", entry.Id, StreamNames.Alerts);
                await _consumer.AcknowledgeAsync(entry.Id);
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
                _logger.LogError("Alert entry {EntryId} cannot be read and is not notified: {Error}", entry.Id, exception.Message);
                await _consumer.AcknowledgeAsync(entry.Id);
                continue;
            }

            var pending = new PendingAlert(entry, alert, _channels.Count);
            if (!_inFlight.TryAdd(pending.Key, pending))
            {
                continue; // Already in hand (taken over from ourselves while its keep-alive was late).
            }

            dispatched++;
            if (_channels.Count == 0)
            {
                await FinishEntryAsync(pending);
                continue;
            }

            foreach (var (_, queue) in _channels)
            {
                await queue.Writer.WriteAsync(pending, stoppingToken);
            }
        }

        return dispatched;
    }

    private async Task SendAllAsync(INotificationChannel channel, ChannelReader<PendingAlert> queue, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var pending in queue.ReadAllAsync(stoppingToken))
            {
                if (!pending.Lost && !await DeliverAsync(channel, pending, stoppingToken))
                {
                    pending.Abandon();
                }

                if (pending.FinishChannel())
                {
                    await FinishEntryAsync(pending);
                }
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Acknowledges the entry once all its channels are finished; an abandoned one is left to be taken over.</summary>
    private async Task FinishEntryAsync(PendingAlert pending)
    {
        try
        {
            if (!pending.Abandoned)
            {
                await _consumer.AcknowledgeAsync(pending.Entry.Id);
            }
        }
        catch (Exception exception)
        {
            // Left pending: whoever takes it over finds every channel finished and acknowledges it without sending.
            _logger.LogWarning("Alert entry {EntryId} could not be acknowledged: {Error}", pending.Entry.Id, exception.Message);
        }
        finally
        {
            _inFlight.TryRemove(pending.Key, out _);
        }
    }

    /// <summary>
    /// Touches the alerts in hand so that no replica takes them over while their retries run; one taken over all the
    /// same (this worker stalled past ClaimMinIdle) is let go, so that only its new owner goes on sending it.
    /// </summary>
    private async Task KeepInFlightAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.ClaimInterval, stoppingToken);
                try
                {
                    var held = _inFlight.Where(entry => !entry.Value.Lost).Select(entry => entry.Key).ToList();
                    foreach (var key in await _consumer.KeepAsync(held))
                    {
                        if (_inFlight.TryGetValue(key, out var pending))
                        {
                            pending.Lose();
                            _logger.LogWarning(
                                "Alert {AlertId} (entry {EntryId}) was taken over by another notifier; this one makes no more tries",
                                pending.Alert.Id, key);
                        }
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    _logger.LogWarning("Keeping the alerts in hand failed: {Error}", exception.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// Delivers the alert on the channel unless a previous delivery finished, continuing the count of tries.
    /// Returns false when the alert is left for a later delivery: its outcome could not be recorded, or another
    /// notifier took it over.
    /// </summary>
    /// <remarks>The delivery is a span of the alert's trace, continuing the context its entry carries.</remarks>
    private async Task<bool> DeliverAsync(INotificationChannel channel, PendingAlert pending, CancellationToken stoppingToken)
    {
        var alert = pending.Alert;
        using var delivery = WorkerTelemetry.StartDelivery(channel.Name, alert, pending.TraceContext);
        DeliveryProgress progress;
        try
        {
            progress = await StoreAsync(token => _records.GetProgressAsync(alert.Id, channel.Name, token), stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            _logger.LogError("Alert {AlertId} on {Channel}: its delivery record cannot be read ({Error}); trying again later",
                alert.Id, channel.Name, exception.Message);
            return false;
        }

        if (progress.IsFinished)
        {
            delivery.Activity?.SetTag("sentiment.notification.outcome", "finished_before");
            _logger.LogDebug("Alert {AlertId} on {Channel} was finished before ({Outcome}); not sent again", alert.Id, channel.Name, progress.Outcome);
            return true;
        }

        if (progress.Attempts >= _options.MaxAttempts)
        {
            return await FinishAsync(channel, alert, null, NotificationOutcomes.Failed, progress.Attempts, delivery.Activity, stoppingToken);
        }

        var attempt = progress.Attempts;
        var trying = false;
        var context = ResilienceContextPool.Shared.Get(stoppingToken);
        context.Properties.Set(PreviousAttemptsKey, progress.Attempts);
        try
        {
            await _delivery.ExecuteAsync(
                async context =>
                {
                    if (pending.Lost)
                    {
                        throw new TakenOverException();
                    }

                    attempt++;
                    trying = true;
                    using var span = WorkerTelemetry.StartNotification(channel.Name, alert, attempt, delivery.Context);
                    try
                    {
                        await channel.SendAsync(alert, context.CancellationToken);
                    }
                    catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                    {
                        var error = exception is OperationCanceledException ? $"No answer within {_options.AttemptTimeout}." : Describe(exception);
                        var errorType = exception is OperationCanceledException ? "timeout" : exception.GetType().FullName ?? exception.GetType().Name;
                        WorkerTelemetry.Fail(span.Activity, errorType, error);
                        _telemetry.RecordNotificationFailure(channel.Name, errorType);
                        await RecordFailedAsync(alert, channel, attempt, error, stoppingToken);
                        _logger.LogWarning(
                            "Alert {AlertId} on {Channel}: attempt {Attempt} of {MaxAttempts} failed: {Error}",
                            alert.Id, channel.Name, attempt, _options.MaxAttempts, error);
                        throw;
                    }
                    finally
                    {
                        trying = false;
                    }
                },
                context);
        }
        catch (TakenOverException)
        {
            // Its new owner goes on from the tries recorded so far; nothing to record here.
            delivery.Activity?.SetTag("sentiment.notification.outcome", "taken_over");
            return false;
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            if (trying)
            {
                // The try was cut short by the shutdown; it may or may not have reached the receiver.
                await RecordInterruptedAsync(alert, channel, attempt);
            }

            throw;
        }
        catch (Exception exception)
        {
            _logger.LogError(
                "Alert {AlertId} was not delivered on {Channel} after {Attempts} attempts: {Error}",
                alert.Id, channel.Name, attempt, Describe(exception));
            return await FinishAsync(channel, alert, null, NotificationOutcomes.Failed, attempt, delivery.Activity, stoppingToken);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        return await FinishAsync(channel, alert, NewAttempt(alert, channel, attempt, NotificationOutcomes.Delivered, null), NotificationOutcomes.Delivered, attempt, delivery.Activity, stoppingToken);
    }

    private async Task<bool> FinishAsync(
        INotificationChannel channel, Alert alert, NotificationAttempt? lastAttempt, string outcome, int attempts, Activity? span,
        CancellationToken stoppingToken)
    {
        span?.SetTag("sentiment.notification.outcome", outcome);
        span?.SetTag("sentiment.notification.attempts", attempts);
        if (outcome != NotificationOutcomes.Delivered)
        {
            WorkerTelemetry.Fail(span, "undelivered", $"Not delivered after {attempts} attempts.");
        }

        var delivery = new NotificationDelivery
        {
            AlertId = alert.Id,
            Channel = channel.Name,
            Outcome = outcome,
            Attempts = attempts,
            CompletedAt = _time.GetUtcNow(),
        };
        try
        {
            await StoreAsync(token => _records.FinishAsync(lastAttempt, delivery, token), stoppingToken);
            return true;
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            _logger.LogError("Alert {AlertId} on {Channel} ({Outcome}) could not be recorded: {Error}; it will be delivered again",
                alert.Id, channel.Name, outcome, exception.Message);
            return false;
        }
    }

    private async Task RecordFailedAsync(Alert alert, INotificationChannel channel, int attempt, string error, CancellationToken stoppingToken)
    {
        try
        {
            await StoreAsync(token => _records.RecordAsync(NewAttempt(alert, channel, attempt, NotificationOutcomes.Failed, error), token), stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // The delivery itself matters more than its record: carry on, but say so.
            _logger.LogError("Attempt {Attempt} of alert {AlertId} on {Channel} could not be recorded: {Error}",
                attempt, alert.Id, channel.Name, exception.Message);
        }
    }

    private async Task RecordInterruptedAsync(Alert alert, INotificationChannel channel, int attempt)
    {
        try
        {
            // One try without waiting out an outage: the host is stopping.
            await _records.RecordAsync(
                NewAttempt(alert, channel, attempt, NotificationOutcomes.Failed, "Interrupted: the worker stopped during the try."),
                CancellationToken.None);
        }
        catch (Exception exception)
        {
            _logger.LogWarning("Interrupted attempt {Attempt} of alert {AlertId} on {Channel} could not be recorded: {Error}",
                attempt, alert.Id, channel.Name, exception.Message);
        }
    }

    private NotificationAttempt NewAttempt(Alert alert, INotificationChannel channel, int attempt, string outcome, string? error) => new()
    {
        AlertId = alert.Id,
        Channel = channel.Name,
        Attempt = attempt,
        Outcome = outcome,
        Error = error,
        AttemptedAt = _time.GetUtcNow(),
    };

    private async Task<T> StoreAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken) =>
        await _store.ExecuteAsync(async token => await operation(token), cancellationToken);

    private async Task StoreAsync(Func<CancellationToken, Task> operation, CancellationToken cancellationToken) =>
        await _store.ExecuteAsync(async token => await operation(token), cancellationToken);

    /// <summary>
    /// The exception's type and message. Messages of HttpClient and MailKit name at most host and port, never the
    /// request path (a Slack webhook's credential) or a password.
    /// </summary>
    private static string Describe(Exception exception) =>
        exception is PermanentDeliveryException or HttpRequestException
            ? exception.Message
            : $"{exception.GetType().Name}: {exception.Message}";

    /// <summary>Thrown before a try of an alert that another notifier took over, to end its retries here.</summary>
    private sealed class TakenOverException : Exception;

    /// <summary>An alert entry in hand, until each channel has finished with it.</summary>
    private sealed class PendingAlert(StreamEntry entry, Alert alert, int channels)
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
}
