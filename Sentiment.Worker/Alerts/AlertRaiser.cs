using System.Diagnostics;
using Sentiment.Contracts.Alerts;
using Sentiment.Streams;
using Sentiment.Streams.Tracing;
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
    // Debug, with sentiment.worker.alerts.fired counting them: a spike of alerts must not cost a log line each at
    // the default level. The snippet is message text, so it is never logged.
    private static readonly Action<ILogger, Guid, string, string, string, string, Exception?> LogRaised =
        LoggerMessage.Define<Guid, string, string, string, string>(
            LogLevel.Debug, new EventId(1, "AlertRaised"), "Alert {AlertId} raised: {Type} ({Severity}) for {RuleKey}, message {MessageId}");

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

        // Publish, then mark: a worker that dies in between leaves the rows unmarked, so the redelivered batch or the
        // outbox sweep publishes them again, and the publisher's markers keep that from appending a second entry.
        // Each alert continues the trace of the message that triggered it; its entry carries its own send span's
        // context, so its notifications and the dashboard's push are spans under it. All of them go in one call.
        var spans = new SpanScope[unpublished.Count];
        var published = false;
        try
        {
            for (var i = 0; i < spans.Length; i++)
            {
                spans[i] = WorkerTelemetry.StartAlertSend(unpublished[i], traces.GetValueOrDefault(unpublished[i].MessageIds[0]));
            }

            ActivityContext[] contexts = [.. spans.Select(span => span.Context)];
            await retry.ExecuteAsync(Dependency.Redis, _ => publisher.PublishAsync(unpublished, contexts), cancellationToken);
            published = true;
        }
        finally
        {
            // Last started first, so each span's predecessor is current again when it ends, and each alert is logged
            // under its own span.
            for (var i = spans.Length - 1; i >= 0; i--)
            {
                if (published)
                {
                    var alert = unpublished[i];
                    LogRaised(logger, alert.Id, alert.Type, alert.Severity, alert.RuleKey, alert.MessageIds[0], null);
                }

                spans[i].Dispose();
            }
        }

        await retry.ExecuteAsync(Dependency.Postgres, token => writer.MarkPublishedAsync(unpublished, token), cancellationToken);
        return unpublished;
    }

}
