using System.Diagnostics;
using Sentiment.Contracts.Alerts;
using Sentiment.Streams;
using Sentiment.Worker.Processing;
using Sentiment.Worker.Telemetry;

namespace Sentiment.Worker.Alerts;

/// <summary>
/// The alert step of a batch, run after its rows are committed and before it is acknowledged: evaluate the rules,
/// store the alerts that fired, publish them on <c>sentiment:alerts</c> (where the notifiers pick them up) and mark
/// them published. A batch redelivered after a crash anywhere in here evaluates to the same alerts, which are stored
/// and published only once; an alert stored but never marked is published by <see cref="AlertOutbox"/>.
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
    DependencyRetry retry,
    ILogger<AlertRaiser> logger)
{
    /// <returns>The alerts this call published: new ones, and stored ones a crashed worker left unpublished.</returns>
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

        var unpublished = await retry.ExecuteAsync(Dependency.Postgres, token => writer.StoreAsync(fired, token), cancellationToken);
        if (unpublished.Count == 0)
        {
            return unpublished;
        }

        var traces = new Dictionary<string, ActivityContext>(StringComparer.Ordinal);
        foreach (var candidate in stored)
        {
            traces.TryAdd(candidate.MessageId, candidate.TraceContext);
        }

        // Publish, then mark: a worker that dies in between leaves the row unmarked, so the redelivered batch or the
        // outbox sweep publishes it again, and the publisher's marker keeps that from appending a second entry.
        foreach (var alert in unpublished)
        {
            // The alert continues the trace of the message that triggered it; its entry carries this span's context,
            // so its notifications and the dashboard's push are spans under it.
            using var span = WorkerTelemetry.StartAlertSend(alert, traces.GetValueOrDefault(alert.MessageIds[0]));
            await retry.ExecuteAsync(Dependency.Redis, _ => publisher.PublishAsync([alert], span.Context), cancellationToken);
            // The snippet is message text: kept out of Information-level logs.
            logger.LogInformation("Alert {AlertId} raised: {Type} ({Severity}) for {RuleKey}, message {MessageId}",
                alert.Id, alert.Type, alert.Severity, alert.RuleKey, alert.MessageIds[0]);
        }

        await retry.ExecuteAsync(Dependency.Postgres, token => writer.MarkPublishedAsync(unpublished, token), cancellationToken);
        return unpublished;
    }
}
