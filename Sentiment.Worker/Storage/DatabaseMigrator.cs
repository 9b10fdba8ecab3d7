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
                await scope.ServiceProvider.GetRequiredService<SentimentDbContext>().Database.MigrateAsync(token);
            },
            cancellationToken);
        logger.LogInformation("The results database is up to date");
    }
}
