using Npgsql;
using NpgsqlTypes;
using Sentiment.Core.Alerts;

namespace Sentiment.Worker.Alerts;

/// <summary>Stores alerts in the <c>alerts</c> table (columns as mapped by SentimentDbContext).</summary>
public sealed class AlertWriter(NpgsqlDataSource dataSource)
{
    private const string InsertSql = """
        INSERT INTO alerts (id, type, severity, rule_key, message_ids, score, snippet, source, link, reason, created_at, status)
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
}
