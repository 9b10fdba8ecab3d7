using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Sentiment.Storage;

/// <summary>
/// Unhealthy until the results database has every migration: a service that reads or writes the tables is not ready
/// before the migrations resource has run. Once current it stays so, and is not asked again.
/// </summary>
public sealed class ResultsSchemaHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public const string Name = "results-schema";

    private volatile bool _current;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_current)
        {
            return HealthCheckResult.Healthy();
        }

        try
        {
            var pending = await ResultsSchema.PendingMigrationsAsync(dataSource, cancellationToken);
            _current = pending.Count == 0;
            return _current
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"The results database lacks {pending.Count} migration(s), up to {pending[^1]}: the migrations resource applies them.");
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL did not answer: {exception.Message}");
        }
    }
}
