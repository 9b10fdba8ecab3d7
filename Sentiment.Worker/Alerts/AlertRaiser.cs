using System.Diagnostics;
using Sentiment.Core.Alerts;
using Sentiment.Worker.Notifications;
using Sentiment.Worker.Processing;
using Sentiment.Worker.Telemetry;

namespace Sentiment.Worker.Alerts;

/// <summary>
/// The alert step of a batch, run after its rows are committed and before it is acknowledged: evaluate the rules,
/// store the alerts that fired, publish them and hand them to the notification channels. A batch redelivered after
/// a crash anywhere in here evaluates to the same alerts, which are stored (and published) only once.
/// </summary>
/// <remarks>
/// Outages of Redis or PostgreSQL are waited out (DependencyRetry), so they lose no alert. Any other failure (a bug,
/// a key of the wrong type) is logged as an error and the batch is still acknowledged: its rows are stored, and
/// failing them over the alert step would only crash-loop the workers and dead-letter stored messages.
/// </remarks>
public sealed class AlertRaiser(
    AlertEvaluator evaluator,
    AlertWriter writer,
    AlertPublisher publisher,
    NotificationDispatcher notifications,
    DependencyRetry retry,
    WorkerTelemetry telemetry,
    ILogger<AlertRaiser> logger)
{
    public async Task<IReadOnlyList<Alert>> RaiseAsync(IReadOnlyList<AlertCandidate> stored, CancellationToken cancellationToken)
    {
        try
        {
            return await RaiseOrThrowAsync(stored, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError(exception, "The alert rules failed for a batch of {Count} messages; its alerts are lost", stored.Count);
            return [];
        }
    }

    private async Task<IReadOnlyList<Alert>> RaiseOrThrowAsync(IReadOnlyList<AlertCandidate> stored, CancellationToken cancellationToken)
    {
        var fired = await retry.ExecuteAsync(Dependency.Redis, token => evaluator.EvaluateAsync(stored, token), cancellationToken);
        if (fired.Count == 0)
        {
            return fired;
        }

        var inserted = await retry.ExecuteAsync(Dependency.Postgres, token => writer.InsertAsync(fired, token), cancellationToken);
        if (inserted.Count == 0)
        {
            return inserted;
        }

        var traces = new Dictionary<string, ActivityContext>(StringComparer.Ordinal);
        foreach (var candidate in stored)
        {
            traces.TryAdd(candidate.MessageId, candidate.TraceContext);
        }

        foreach (var alert in inserted)
        {
            // The alert continues the trace of the message that triggered it; its stream entry and its notifications
            // carry this span's context (the dashboard's push and each channel's send are spans under it).
            using var span = WorkerTelemetry.StartAlertSend(alert, traces.GetValueOrDefault(alert.MessageIds[0]));
            await retry.ExecuteAsync(Dependency.Redis, _ => publisher.PublishAsync(alert, span.Context), cancellationToken);
            telemetry.RecordAlert(alert);
            // The snippet is message text: kept out of Information-level logs.
            logger.LogInformation("Alert {AlertId} raised: {Type} ({Severity}) for {RuleKey}, message {MessageId}",
                alert.Id, alert.Type, alert.Severity, alert.RuleKey, alert.MessageIds[0]);
            notifications.Enqueue(alert);
        }

        return inserted;
    }
}
