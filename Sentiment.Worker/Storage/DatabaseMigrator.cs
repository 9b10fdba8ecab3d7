using Microsoft.EntityFrameworkCore;
using Sentiment.Core.Storage;
using Sentiment.Worker.Processing;

namespace Sentiment.Worker.Storage;

/// <summary>
/// Applies the EF Core migrations at start-up. Safe when several workers start together: EF Core (9 and later) holds
/// a database lock while it migrates, so one applies each migration and the others find it applied.
/// </summary>
public sealed class DatabaseMigrator(IServiceScopeFactory scopes, DependencyRetry retry, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await retry.ExecuteAsync(
            Dependency.Postgres,
            async token =>
            {
                await using var scope = scopes.CreateAsyncScope();
                var database = scope.ServiceProvider.GetRequiredService<SentimentDbContext>().Database;
                var pending = (await database.GetPendingMigrationsAsync(token)).ToList();
                if (pending.Count > 0)
                {
                    logger.LogInformation("Applying migrations: {Migrations}", string.Join(", ", pending));
                }

                await database.MigrateAsync(token);
            },
            cancellationToken);
    }
}
