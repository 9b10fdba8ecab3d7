using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Sentiment.Core.Alerts;
using Sentiment.Worker.Telemetry;

namespace Sentiment.Worker.Notifications;

/// <summary>
/// Delivers alerts on every configured channel in the background. Each channel has its own bounded queue and its own
/// sender, so a slow or failing channel delays nothing but itself; <see cref="Enqueue"/> never waits, so the batch
/// that raised the alert is acknowledged at once. Each try is retried with exponential backoff and jitter (Polly)
/// and recorded in <c>notification_attempts</c>.
/// </summary>
/// <remarks>
/// Retries happen here rather than in an HttpClient resilience handler so that every channel (SMTP included) retries
/// the same way and every try is visible and recorded. The queues are in memory: alerts queued in a worker that
/// stops are in the <c>alerts</c> table but are not sent.
/// </remarks>
public sealed class NotificationDispatcher : BackgroundService
{
    private readonly List<(INotificationChannel Channel, Channel<QueuedAlert> Queue)> _channels;
    private readonly NotificationAttemptWriter _attempts;
    private readonly WorkerTelemetry _telemetry;
    private readonly NotificationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<NotificationDispatcher> _logger;
    private readonly ResiliencePipeline _pipeline;

    public NotificationDispatcher(
        IEnumerable<INotificationChannel> channels,
        NotificationAttemptWriter attempts,
        IOptions<NotificationOptions> options,
        TimeProvider time,
        WorkerTelemetry telemetry,
        ILogger<NotificationDispatcher> logger)
    {
        _options = options.Value;
        _attempts = attempts;
        _telemetry = telemetry;
        _time = time;
        _logger = logger;
        _channels = [.. channels
            .Where(channel => channel.IsConfigured)
            .Select(channel => (channel, Channel.CreateBounded<QueuedAlert>(new BoundedChannelOptions(_options.QueueCapacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            })))];
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(exception => exception is not (PermanentDeliveryException or OperationCanceledException) || exception is TimeoutRejectedException),
                MaxRetryAttempts = _options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                MaxDelay = _options.RetryMaxDelay,
            })
            .AddTimeout(_options.AttemptTimeout)
            .Build();
    }

    /// <summary>The channels alerts go to.</summary>
    public IReadOnlyList<string> ChannelNames => [.. _channels.Select(entry => entry.Channel.Name)];

    /// <summary>
    /// Queues the alert on every configured channel without waiting; a channel whose queue is full skips it.
    /// Each send is a span under the span current here (the one that raised the alert), so it joins the alert's trace.
    /// </summary>
    public void Enqueue(Alert alert)
    {
        var queued = new QueuedAlert(alert, Activity.Current?.Context ?? default);
        foreach (var (channel, queue) in _channels)
        {
            if (!queue.Writer.TryWrite(queued))
            {
                _telemetry.RecordNotificationFailure(channel.Name, "queue_full");
                _logger.LogError(
                    "The {Channel} queue is full ({Capacity} alerts); alert {AlertId} is not sent on it",
                    channel.Name, _options.QueueCapacity, alert.Id);
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_channels.Select(entry => Task.Run(() => SendAllAsync(entry.Channel, entry.Queue.Reader, stoppingToken), stoppingToken)));

    private async Task SendAllAsync(INotificationChannel channel, ChannelReader<QueuedAlert> queue, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (alert, trace) in queue.ReadAllAsync(stoppingToken))
            {
                await DeliverAsync(channel, alert, trace, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task DeliverAsync(INotificationChannel channel, Alert alert, ActivityContext trace, CancellationToken stoppingToken)
    {
        var attempt = 0;
        try
        {
            await _pipeline.ExecuteAsync(
                async token =>
                {
                    attempt++;
                    using var span = WorkerTelemetry.StartNotification(channel.Name, alert, attempt, trace);
                    try
                    {
                        await channel.SendAsync(alert, token);
                    }
                    catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                    {
                        var error = exception is OperationCanceledException ? $"No answer within {_options.AttemptTimeout}." : Describe(exception);
                        var errorType = exception is OperationCanceledException ? "timeout" : exception.GetType().FullName ?? exception.GetType().Name;
                        WorkerTelemetry.Fail(span.Activity, errorType, error);
                        _telemetry.RecordNotificationFailure(channel.Name, errorType);
                        await RecordAsync(alert, channel, attempt, NotificationOutcomes.Failed, error);
                        _logger.LogWarning(
                            "Alert {AlertId} on {Channel}: attempt {Attempt} of {MaxAttempts} failed: {Error}",
                            alert.Id, channel.Name, attempt, _options.MaxAttempts, error);
                        throw;
                    }

                    await RecordAsync(alert, channel, attempt, NotificationOutcomes.Delivered, null);
                },
                stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            _logger.LogError(
                "Alert {AlertId} was not delivered on {Channel} after {Attempts} attempts: {Error}",
                alert.Id, channel.Name, attempt, Describe(exception));
        }
    }

    private async Task RecordAsync(Alert alert, INotificationChannel channel, int attempt, string outcome, string? error)
    {
        try
        {
            await _attempts.RecordAsync(
                new NotificationAttempt
                {
                    AlertId = alert.Id,
                    Channel = channel.Name,
                    Attempt = attempt,
                    Outcome = outcome,
                    Error = error,
                    AttemptedAt = _time.GetUtcNow(),
                },
                CancellationToken.None);
        }
        catch (Exception exception)
        {
            // The delivery itself matters more than its record: carry on, but say so.
            _logger.LogError("Attempt {Attempt} of alert {AlertId} on {Channel} ({Outcome}) could not be recorded: {Error}",
                attempt, alert.Id, channel.Name, outcome, exception.Message);
        }
    }

    /// <summary>
    /// The exception's type and message. Messages of HttpClient and MailKit name at most host and port, never the
    /// request path (a Slack webhook's credential) or a password.
    /// </summary>
    private static string Describe(Exception exception) =>
        exception is PermanentDeliveryException or HttpRequestException
            ? exception.Message
            : $"{exception.GetType().Name}: {exception.Message}";
}

/// <summary>An alert waiting on a channel, with the context of the span that raised it.</summary>
internal readonly record struct QueuedAlert(Alert Alert, ActivityContext Trace);
