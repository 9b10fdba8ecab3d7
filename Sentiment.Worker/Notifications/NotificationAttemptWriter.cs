using Npgsql;
using NpgsqlTypes;
using Sentiment.Core.Alerts;

namespace Sentiment.Worker.Notifications;

/// <summary>Records each delivery attempt in <c>notification_attempts</c>.</summary>
public sealed class NotificationAttemptWriter(NpgsqlDataSource dataSource)
{
    private const string InsertSql = """
        INSERT INTO notification_attempts (alert_id, channel, attempt, outcome, error, attempted_at)
        VALUES ($1, $2, $3, $4, $5, $6)
        """;

    public async Task RecordAsync(NotificationAttempt attempt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(InsertSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = attempt.AlertId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = attempt.Channel });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = attempt.Attempt });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = attempt.Outcome });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)attempt.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = attempt.AttemptedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
