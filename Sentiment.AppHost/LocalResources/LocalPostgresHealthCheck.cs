using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Sentiment.AppHost.LocalResources;

/// <summary>
/// Healthy once the server accepts a connection. A cluster made with another password than secrets.json holds is
/// reported as such, since waiting would never help.
/// </summary>
internal sealed class LocalPostgresHealthCheck(Func<string?> adminConnectionString, string dataDirectory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (adminConnectionString() is not { } connectionString)
        {
            return HealthCheckResult.Unhealthy("The server's endpoint is not allocated yet.");
        }

        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InvalidPassword)
        {
            return HealthCheckResult.Unhealthy(
                $"The PostgreSQL cluster in {dataDirectory} has another password than secrets.json holds; start with --reset-data to recreate it.");
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is not accepting connections yet.");
        }
    }
}
