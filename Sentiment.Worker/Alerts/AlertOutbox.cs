using Microsoft.Extensions.Options;

namespace Sentiment.Worker.Alerts;

/// <summary>
/// Publishes alerts that were stored but never published: the <c>alerts</c> table is the outbox of
/// <c>sentiment:alerts</c>. The raiser publishes its own alerts straight away; this sweep catches the one whose
/// worker died between the INSERT and the XADD, and whose batch was never raised again (e.g. it was dead-lettered).
/// Every replica sweeps; the publisher appends an alert only once, so two sweeps racing do no harm.
/// </summary>
public sealed class AlertOutbox(
    AlertWriter writer,
    AlertPublisher publisher,
    IOptions<AlertOptions> options,
    TimeProvider time,
    ILogger<AlertOutbox> logger) : BackgroundService
{
    private const int PageSize = 100;

    private readonly AlertOptions _options = options.Value;

    /// <summary>Publishes and marks every unpublished alert older than the grace period; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var stranded = await writer.UnpublishedBeforeAsync(time.GetUtcNow() - _options.OutboxGrace, PageSize, cancellationToken);
            if (stranded.Count == 0)
            {
                return total;
            }

            // Their trace context was never stored: each starts a trace of its own on the stream.
            await publisher.PublishAsync(stranded);
            await writer.MarkPublishedAsync(stranded, cancellationToken);
            foreach (var alert in stranded)
            {
                logger.LogWarning("Alert {AlertId} ({Type}, created {CreatedAt:O}) was stored but not published; published it now",
                    alert.Id, alert.Type, alert.CreatedAt);
            }

            total += stranded.Count;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.OutboxInterval, time, stoppingToken);
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Redis or PostgreSQL away, or the schema not migrated yet: the next sweep tries again.
                    logger.LogWarning("The sweep for unpublished alerts failed: {Error}", exception.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
