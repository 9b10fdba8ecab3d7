using Npgsql;
using NpgsqlTypes;
using Sentiment.Storage;

namespace Sentiment.Notifier.Delivery;

/// <summary>
/// Records each delivery attempt in <c>notification_attempts</c>, and how each alert's delivery on each channel
/// ended in <c>notification_deliveries</c>: the record a redelivered alert is checked against.
/// </summary>
public sealed class NotificationAttemptWriter(NpgsqlDataSource dataSource)
{
    private const string InsertAttemptSql = $"""
        INSERT INTO {SentimentDbContext.NotificationAttemptsTable} (alert_id, channel, attempt, outcome, error, attempted_at)
        VALUES ($1, $2, $3, $4, $5, $6)
        """;

    private const string InsertDeliverySql = $"""
        INSERT INTO {SentimentDbContext.NotificationDeliveriesTable} (alert_id, channel, outcome, attempts, completed_at)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (alert_id, channel) DO NOTHING
        """;

    private const string ProgressSql = $"""
        SELECT (SELECT outcome FROM {SentimentDbContext.NotificationDeliveriesTable} WHERE alert_id = $1 AND channel = $2),
               (SELECT coalesce(max(attempt), 0) FROM {SentimentDbContext.NotificationAttemptsTable} WHERE alert_id = $1 AND channel = $2)
        """;

    public async Task RecordAsync(NotificationAttempt attempt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(InsertAttemptSql);
        AddAttemptParameters(command.Parameters, attempt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<DeliveryProgress> GetProgressAsync(Guid alertId, string channel, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ProgressSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = alertId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = channel });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new DeliveryProgress(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt32(1));
    }

    /// <summary>
    /// Records how the channel's delivery ended, with its last attempt when there is one, in one transaction; a
    /// delivery recorded before (another notifier finished it) is kept.
    /// </summary>
    public async Task FinishAsync(NotificationAttempt? lastAttempt, NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (lastAttempt is not null)
        {
            await using var attempt = new NpgsqlCommand(InsertAttemptSql, connection, transaction);
            AddAttemptParameters(attempt.Parameters, lastAttempt);
            await attempt.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var finished = new NpgsqlCommand(InsertDeliverySql, connection, transaction))
        {
            finished.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = delivery.AlertId });
            finished.Parameters.Add(new NpgsqlParameter<string> { TypedValue = delivery.Channel });
            finished.Parameters.Add(new NpgsqlParameter<string> { TypedValue = delivery.Outcome });
            finished.Parameters.Add(new NpgsqlParameter<int> { TypedValue = delivery.Attempts });
            finished.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = delivery.CompletedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await finished.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static void AddAttemptParameters(NpgsqlParameterCollection parameters, NotificationAttempt attempt)
    {
        parameters.Add(new NpgsqlParameter<Guid> { TypedValue = attempt.AlertId });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = attempt.Channel });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = attempt.Attempt });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = attempt.Outcome });
        parameters.Add(new NpgsqlParameter { Value = (object?)attempt.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = attempt.AttemptedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
    }
}
