using Npgsql;
using NpgsqlTypes;
using Sentiment.Core.Alerts;

namespace Sentiment.Worker.Alerts;

/// <summary>
/// Stores alerts in the <c>alerts</c> table (columns as mapped by SentimentDbContext), which is also the outbox of
/// <c>sentiment:alerts</c>: <c>published_at</c> stays null until the alert is on the stream.
/// </summary>
public sealed class AlertWriter(NpgsqlDataSource dataSource)
{
    private const string InsertColumns = "id, type, severity, rule_key, message_ids, score, snippet, source, link, reason, created_at, status";

    private const string InsertSql = $"""
        INSERT INTO alerts ({InsertColumns})
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        ON CONFLICT (id) DO NOTHING
        """;

    /// <returns>The alerts that are new; one stored before (a redelivered batch re-raising it) is left out.</returns>
    public async Task<IReadOnlyList<Alert>> InsertAsync(IReadOnlyList<Alert> alerts, CancellationToken cancellationToken)
    {
        if (alerts.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = new List<Alert>(alerts.Count);
        foreach (var alert in alerts)
        {
            await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = alert.Id });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = alert.Type });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = alert.Severity });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = alert.RuleKey });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = alert.MessageIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = alert.Score });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = alert.Snippet });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = alert.Source });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = alert.Link });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = alert.Reason });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = alert.CreatedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = alert.Status });
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                inserted.Add(alert);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    /// <summary>
    /// Of these stored alerts, the ones not yet marked published: new ones, and any a worker stored but died before
    /// publishing (its batch, redelivered, raises the same alerts again).
    /// </summary>
    public async Task<IReadOnlyList<Alert>> UnpublishedAsync(IReadOnlyList<Alert> alerts, CancellationToken cancellationToken)
    {
        if (alerts.Count == 0)
        {
            return [];
        }

        await using var command = dataSource.CreateCommand("SELECT id FROM alerts WHERE id = ANY($1) AND published_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. alerts.Select(alert => alert.Id)] });
        var unpublished = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            unpublished.Add(reader.GetGuid(0));
        }

        return [.. alerts.Where(alert => unpublished.Contains(alert.Id))];
    }

    /// <summary>Stored alerts still unpublished that were created before <paramref name="createdBefore"/>, oldest first.</summary>
    public async Task<IReadOnlyList<Alert>> UnpublishedBeforeAsync(DateTimeOffset createdBefore, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {AlertRow.Columns} FROM alerts
            WHERE published_at IS NULL AND created_at < $1
            ORDER BY created_at LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = createdBefore.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var alerts = new List<Alert>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            alerts.Add(AlertRow.Read(reader));
        }

        return alerts;
    }

    /// <summary>Sets <c>published_at</c> (the database's clock: it only needs to say "done", and when, roughly).</summary>
    public async Task MarkPublishedAsync(IReadOnlyList<Alert> alerts, CancellationToken cancellationToken)
    {
        if (alerts.Count == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand("UPDATE alerts SET published_at = now() WHERE id = ANY($1) AND published_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. alerts.Select(alert => alert.Id)] });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
