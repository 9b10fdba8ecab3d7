using System.Diagnostics;
using System.Threading.Channels;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Sentiment.Contracts.Alerts;
using Sentiment.Notifier.Channels;
using Sentiment.Notifier.Telemetry;
using Sentiment.Storage;
using Sentiment.Streams;
using Sentiment.Streams.Tracing;

namespace Sentiment.Notifier.Delivery;

/// <summary>
/// Delivers alerts on one channel, from a queue of its own, so a slow or failing channel delays nothing but itself.
/// Each try is retried with exponential backoff and jitter (Polly) and recorded in <c>notification_attempts</c>; how
/// the delivery ended goes into <c>notification_deliveries</c>, which a redelivered alert is checked against, so a
/// channel that finished is never sent the alert again, and tries are numbered on from where a stopped notifier left
/// them.
/// </summary>
/// <remarks>
/// Retries happen here rather than in an HttpClient resilience handler so that every channel (SMTP included) retries
/// the same way and every try is visible and recorded.
/// </remarks>
public sealed class ChannelSender
{
    private static readonly ResiliencePropertyKey<int> PreviousAttemptsKey = new("sentiment.notification.previous-attempts");

    private readonly INotificationChannel _channel;
    private readonly Channel<PendingAlert> _queue;
    private readonly NotificationAttemptWriter _records;
    private readonly NotificationOptions _options;
    private readonly NotifierTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _delivery;
    private readonly ResiliencePipeline _store;

    /// <param name="capacity">The most alerts in hand at once (<see cref="NotifierOptions.MaxInFlight"/>), so the queue never holds more.</param>
    public ChannelSender(
        INotificationChannel channel,
        int capacity,
        NotificationAttemptWriter records,
        NotificationOptions options,
        NotifierOptions notifierOptions,
        NotifierTelemetry telemetry,
        TimeProvider time,
        ILogger<ChannelSender> logger)
    {
        _channel = channel;
        _records = records;
        _options = options;
        _telemetry = telemetry;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingAlert>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _delivery = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                // Tries count across notifiers: a delivery taken over after two tries has MaxAttempts − 2 left.
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
        _store = OutageRetry.CreatePipeline(
            notifierOptions,
            time,
            arguments =>
            {
                _logger.LogWarning("Recording a notification failed (attempt {Attempt}): {Error}; retrying in {Delay}",
                    arguments.AttemptNumber + 1, arguments.Outcome.Exception?.Message, arguments.RetryDelay);
                return default;
            });
    }

    public string ChannelName => _channel.Name;

    public ValueTask EnqueueAsync(PendingAlert pending, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(pending, cancellationToken);

    /// <summary>Delivers what is queued until the stop; calls <paramref name="finished"/> for an alert whose last channel this was.</summary>
    public async Task RunAsync(Func<PendingAlert, Task> finished, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var pending in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                if (!pending.Lost && !await DeliverAsync(pending, stoppingToken))
                {
                    pending.Abandon();
                }

                if (pending.FinishChannel())
                {
                    await finished(pending);
                }
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
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
    private async Task<bool> DeliverAsync(PendingAlert pending, CancellationToken stoppingToken)
    {
        var alert = pending.Alert;
        using var delivery = NotifierTelemetry.StartDelivery(_channel.Name, alert, pending.TraceContext);
        DeliveryProgress progress;
        try
        {
            progress = await StoreAsync(token => _records.GetProgressAsync(alert.Id, _channel.Name, token), stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            _logger.LogError("Alert {AlertId} on {Channel}: its delivery record cannot be read ({Error}); trying again later",
                alert.Id, _channel.Name, exception.Message);
            return false;
        }

        if (progress.IsFinished)
        {
            delivery.Activity?.SetTag("sentiment.notification.outcome", "finished_before");
            _logger.LogDebug("Alert {AlertId} on {Channel} was finished before ({Outcome}); not sent again", alert.Id, _channel.Name, progress.Outcome);
            return true;
        }

        if (progress.Attempts >= _options.MaxAttempts)
        {
            return await FinishAsync(alert, null, NotificationOutcomes.Failed, progress.Attempts, delivery.Activity, stoppingToken);
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
                    using var span = NotifierTelemetry.StartNotification(_channel.Name, alert, attempt, delivery.Context);
                    try
                    {
                        await _channel.SendAsync(alert, context.CancellationToken);
                    }
                    catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                    {
                        var error = exception is OperationCanceledException ? $"No answer within {_options.AttemptTimeout}." : Describe(exception);
                        var errorType = exception is OperationCanceledException ? "timeout" : exception.GetType().FullName ?? exception.GetType().Name;
                        SpanFailure.Mark(span.Activity, errorType, error);
                        _telemetry.RecordNotificationFailure(_channel.Name, errorType);
                        await RecordFailedAsync(alert, attempt, error, stoppingToken);
                        _logger.LogWarning(
                            "Alert {AlertId} on {Channel}: attempt {Attempt} of {MaxAttempts} failed: {Error}",
                            alert.Id, _channel.Name, attempt, _options.MaxAttempts, error);
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
                await RecordInterruptedAsync(alert, attempt);
            }

            throw;
        }
        catch (Exception exception)
        {
            _logger.LogError(
                "Alert {AlertId} was not delivered on {Channel} after {Attempts} attempts: {Error}",
                alert.Id, _channel.Name, attempt, Describe(exception));
            return await FinishAsync(alert, null, NotificationOutcomes.Failed, attempt, delivery.Activity, stoppingToken);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        return await FinishAsync(alert, NewAttempt(alert, attempt, NotificationOutcomes.Delivered, null), NotificationOutcomes.Delivered, attempt, delivery.Activity, stoppingToken);
    }

    private async Task<bool> FinishAsync(
        Alert alert, NotificationAttempt? lastAttempt, string outcome, int attempts, Activity? span, CancellationToken stoppingToken)
    {
        span?.SetTag("sentiment.notification.outcome", outcome);
        span?.SetTag("sentiment.notification.attempts", attempts);
        if (outcome != NotificationOutcomes.Delivered)
        {
            SpanFailure.Mark(span, "undelivered", $"Not delivered after {attempts} attempts.");
        }

        var delivery = new NotificationDelivery
        {
            AlertId = alert.Id,
            Channel = _channel.Name,
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
                alert.Id, _channel.Name, outcome, exception.Message);
            return false;
        }
    }

    private async Task RecordFailedAsync(Alert alert, int attempt, string error, CancellationToken stoppingToken)
    {
        try
        {
            await StoreAsync(token => _records.RecordAsync(NewAttempt(alert, attempt, NotificationOutcomes.Failed, error), token), stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // The delivery itself matters more than its record: carry on, but say so.
            _logger.LogError("Attempt {Attempt} of alert {AlertId} on {Channel} could not be recorded: {Error}",
                attempt, alert.Id, _channel.Name, exception.Message);
        }
    }

    private async Task RecordInterruptedAsync(Alert alert, int attempt)
    {
        try
        {
            // One try without waiting out an outage: the host is stopping.
            await _records.RecordAsync(
                NewAttempt(alert, attempt, NotificationOutcomes.Failed, "Interrupted: the notifier stopped during the try."),
                CancellationToken.None);
        }
        catch (Exception exception)
        {
            _logger.LogWarning("Interrupted attempt {Attempt} of alert {AlertId} on {Channel} could not be recorded: {Error}",
                attempt, alert.Id, _channel.Name, exception.Message);
        }
    }

    private NotificationAttempt NewAttempt(Alert alert, int attempt, string outcome, string? error) => new()
    {
        AlertId = alert.Id,
        Channel = _channel.Name,
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
}
