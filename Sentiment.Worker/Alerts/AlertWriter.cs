using Npgsql;
using NpgsqlTypes;
using Sentiment.Contracts.Alerts;
using Sentiment.Storage;

namespace Sentiment.Worker.Alerts;

/// <summary>
/// Stores alerts in the <c>alerts</c> table (columns as mapped by SentimentDbContext), which is also the outbox of
/// <c>sentiment:alerts</c>: <c>published_at</c> stays null until the alert is on the stream.
/// </summary>
public sealed class AlertWriter(NpgsqlDataSource dataSource)
{
    private const string InsertColumns = "id, type, severity, rule_key, message_ids, score, snippet, source, link, reason, created_at, status";

    // ON CONFLICT DO UPDATE, though the update changes no value, so that RETURNING names an alert stored before and still
    // unpublished (a worker stored it, then died before the XADD; its batch, redelivered, raises it again) as well as
    // a new one; one published already is neither changed nor returned. Where another worker is storing the same
    // alert at that moment, ON CONFLICT waits for it and judges its row as committed, as a later SELECT would.
    private const string StoreSql = $"""
        INSERT INTO {SentimentDbContext.AlertsTable} ({InsertColumns})
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        ON CONFLICT (id) DO UPDATE SET published_at = NULL WHERE {SentimentDbContext.AlertsTable}.published_at IS NULL
        RETURNING id
        """;

    /// <summary>
    /// Stores the alerts, leaving one stored before as it is, in one round trip: one INSERT per alert, sent as one
    /// batch and so run in one implicit transaction.
    /// </summary>
    /// <returns>
    /// Those not yet marked published, in the order given: new ones, and any a worker stored but died before publishing.
    /// </returns>
    public async Task<IReadOnlyList<Alert>> StoreAsync(IReadOnlyList<Alert> alerts, CancellationToken cancellationToken)
    {
        if (alerts.Count == 0)
        {
            return [];
        }

        await using var batch = dataSource.CreateBatch();
        foreach (var alert in alerts)
        {
            var command = new NpgsqlBatchCommand(StoreSql);
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
            batch.BatchCommands.Add(command);
        }

        var unpublished = new HashSet<Guid>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        do
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                unpublished.Add(reader.GetGuid(0));
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        return [.. alerts.Where(alert => unpublished.Contains(alert.Id))];
    }

    /// <summary>Stored alerts still unpublished that were created before <paramref name="createdBefore"/>, oldest first.</summary>
    public async Task<IReadOnlyList<Alert>> UnpublishedBeforeAsync(DateTimeOffset createdBefore, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {AlertRow.Columns} FROM {SentimentDbContext.AlertsTable}
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

        await using var command = dataSource.CreateCommand($"UPDATE {SentimentDbContext.AlertsTable} SET published_at = now() WHERE id = ANY($1) AND published_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. alerts.Select(alert => alert.Id)] });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
