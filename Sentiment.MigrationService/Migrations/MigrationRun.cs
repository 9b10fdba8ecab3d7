namespace Sentiment.MigrationService.Migrations;

/// <summary>
/// Applies the migrations once and stops the process: exit code 0 when the schema is current, 1 when it could not be
/// made so. The AppHost starts ingest, the workers and the dashboard only after a 0 (<c>WaitForCompletion</c>).
/// </summary>
public sealed class MigrationRun(DatabaseMigrator migrator, IHostApplicationLifetime lifetime, ILogger<MigrationRun> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await migrator.MigrateAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Environment.ExitCode = 1;
        }
        catch (Exception exception)
        {
            logger.LogCritical(exception, "The results database could not be migrated");
            Environment.ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
