using Npgsql;
using Sentiment.Contracts.Alerts;
using Sentiment.Storage;

namespace Sentiment.Dashboard.Queries;

/// <summary>Which alerts a list or count is about.</summary>
public enum AlertStatusFilter
{
    Active,
    Acknowledged,
    All,
}

/// <summary>The alerts the workers raised, newest first, by status and optionally by source and creation time.</summary>
/// <remarks>Acknowledging is <see cref="Live.AlertAcknowledger"/>'s, which also tells every dashboard instance.</remarks>
public sealed class AlertsQuery(NpgsqlDataSource dataSource)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <param name="scope">Only its <c>From</c>, <c>To</c> (on the alert's creation time) and <c>Source</c> apply.</param>
    public async Task<IReadOnlyList<Alert>> ListAsync(
        AlertStatusFilter status, SentimentFilter? scope = null, int limit = DefaultLimit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        await using var command = dataSource.CreateCommand();
        var where = Where(status, scope, command.Parameters);
        command.CommandText = $"SELECT {AlertRow.Columns} FROM {SentimentDbContext.AlertsTable} WHERE {where} ORDER BY created_at DESC, id LIMIT @limit";
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));

        var alerts = new List<Alert>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            alerts.Add(AlertRow.Read(reader));
        }

        return alerts;
    }

    public async Task<long> CountAsync(AlertStatusFilter status, SentimentFilter? scope = null, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand();
        var where = Where(status, scope, command.Parameters);
        command.CommandText = $"SELECT count(*) FROM {SentimentDbContext.AlertsTable} WHERE {where}";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <returns>The alert, or null when there is none with that id.</returns>
    public async Task<Alert?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {AlertRow.Columns} FROM {SentimentDbContext.AlertsTable} WHERE id = @id");
        command.Parameters.Add(new NpgsqlParameter<Guid>("id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? AlertRow.Read(reader) : null;
    }

    private static string Where(AlertStatusFilter status, SentimentFilter? scope, NpgsqlParameterCollection parameters)
    {
        var conditions = new List<string>();
        if (status != AlertStatusFilter.All)
        {
            conditions.Add("status = @status");
            parameters.Add(FilterSql.Text("status", status == AlertStatusFilter.Active ? AlertStatuses.Active : AlertStatuses.Acknowledged));
        }

        if (scope?.From is { } from)
        {
            conditions.Add("created_at >= @from");
            parameters.Add(FilterSql.Instant("from", from));
        }

        if (scope?.To is { } to)
        {
            conditions.Add("created_at < @to");
            parameters.Add(FilterSql.Instant("to", to));
        }

        if (scope?.Source is { } source)
        {
            conditions.Add("source = @source");
            parameters.Add(FilterSql.Text("source", source));
        }

        return conditions.Count == 0 ? "TRUE" : string.Join(" AND ", conditions);
    }
}
