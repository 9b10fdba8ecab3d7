using Microsoft.Extensions.Logging;
using Npgsql;
using Sentiment.AppHost.ApplicationModel;
using Sentiment.AppHost.Infrastructure;

namespace Sentiment.AppHost.Orchestration;

/// <summary>A database in a cluster the host runs or was given: created, if missing, once the cluster is ready.</summary>
internal sealed class DatabaseRunner(PostgresDatabaseResource database, string adminConnectionString, ILogger logger)
    : ResourceRunner(database)
{
    public override int StopTier => 1;

    protected override async Task RunCoreAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (true)
        {
            try
            {
                await PostgresServer.CreateDatabaseAsync(adminConnectionString, database.DatabaseName, stopping);
                break;
            }
            catch (NpgsqlException exception) when (exception is not PostgresException { IsTransient: false })
            {
                // The cluster restarted between its readiness and this; try again.
                logger.LogWarning("{Name}: could not create the database yet: {Error}", database.Name, exception.Message);
                await timer.WaitForNextTickAsync(stopping);
            }
        }

        logger.LogInformation("{Name} is ready", database.Name);
        MarkReady();
    }
}
