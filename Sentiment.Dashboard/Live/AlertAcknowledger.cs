using Microsoft.AspNetCore.SignalR;
using Npgsql;
using Sentiment.Contracts.Alerts;
using Sentiment.Contracts.Messaging;
using Sentiment.Dashboard.Hubs;
using Sentiment.Dashboard.Queries;
using Sentiment.Storage;
using StackExchange.Redis;

namespace Sentiment.Dashboard.Live;

public enum AcknowledgeOutcome
{
    NotFound,

    /// <summary>The alert was active and is now acknowledged.</summary>
    Acknowledged,

    /// <summary>Someone acknowledged it before; nothing changed.</summary>
    AlreadyAcknowledged,
}

/// <param name="Alert">The alert as it now is; null when not found.</param>
public sealed record AcknowledgeResult(AcknowledgeOutcome Outcome, Alert? Alert);

/// <summary>
/// Acknowledges an alert (idempotently) and tells everyone: hub clients of every instance through the SignalR
/// Redis backplane (<c>alertAcknowledged</c>), and the Blazor views of every instance through
/// <c>sentiment:alert-acks</c>. The table is the truth; both notices only save a reload.
/// </summary>
public sealed class AlertAcknowledger(
    NpgsqlDataSource dataSource,
    AlertsQuery alerts,
    IConnectionMultiplexer redis,
    IHubContext<SentimentHub> hub,
    TimeProvider time,
    ILogger<AlertAcknowledger> logger)
{
    public async Task<AcknowledgeResult> AcknowledgeAsync(Guid id, CancellationToken cancellationToken = default)
    {
        // Only an active alert changes, so a repeated or concurrent acknowledgement keeps the first one's time
        // and is announced once.
        await using var command = dataSource.CreateCommand($"""
            UPDATE {SentimentDbContext.AlertsTable} SET status = @acknowledged, acknowledged_at = @now
            WHERE id = @id AND status = @active
            RETURNING {AlertRow.Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid>("id", id));
        command.Parameters.Add(FilterSql.Text("acknowledged", AlertStatuses.Acknowledged));
        command.Parameters.Add(FilterSql.Text("active", AlertStatuses.Active));
        command.Parameters.Add(FilterSql.Instant("now", time.GetUtcNow()));
        Alert? changed = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                changed = AlertRow.Read(reader);
            }
        }

        if (changed is null)
        {
            var existing = await alerts.GetAsync(id, cancellationToken);
            return existing is null
                ? new AcknowledgeResult(AcknowledgeOutcome.NotFound, null)
                : new AcknowledgeResult(AcknowledgeOutcome.AlreadyAcknowledged, existing);
        }

        logger.LogInformation("Alert {AlertId} acknowledged", id);
        await AnnounceAsync(new AlertAcknowledgement(id, changed.AcknowledgedAt!.Value));
        return new AcknowledgeResult(AcknowledgeOutcome.Acknowledged, changed);
    }

    private async Task AnnounceAsync(AlertAcknowledgement acknowledgement)
    {
        try
        {
            await hub.Clients.All.SendAsync(FeedMethods.AlertAcknowledged, acknowledgement);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning("Could not announce acknowledgement of {AlertId} to hub clients ({Error})", acknowledgement.AlertId, exception.Message);
        }

        try
        {
            await redis.GetSubscriber().PublishAsync(
                RedisChannel.Literal(StreamNames.AlertAcknowledgements), AlertAcknowledgementMessage.Serialize(acknowledgement));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning("Could not announce acknowledgement of {AlertId} to dashboard views ({Error})", acknowledgement.AlertId, exception.Message);
        }
    }
}
