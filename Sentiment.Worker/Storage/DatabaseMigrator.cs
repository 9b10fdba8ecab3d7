using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Sentiment.Core.Storage;
using Sentiment.Worker.Processing;

namespace Sentiment.Worker.Storage;

/// <summary>
/// Applies the EF Core migrations at start-up. Safe when several workers start together: each holds a PostgreSQL
/// session advisory lock on the results database for its whole run, so one applies the pending migrations and the
/// others then find them applied.
/// </summary>
/// <remarks>
/// EF Core's own migration lock is not enough once there is more than one migration: Npgsql's lock is a
/// <c>LOCK TABLE</c> released with each migration's transaction, and a migrator that already listed a migration as
/// pending applies it after re-taking the lock without checking again, failing on DDL another worker just ran
/// (e.g. "column already exists"). A missing database is created first (a concurrent creator's "already exists" is
/// fine), so that every migrator goes through the lock.
/// </remarks>
public sealed class DatabaseMigrator(IServiceScopeFactory scopes, DependencyRetry retry, ILogger<DatabaseMigrator> logger)
{
    // Any constant the other users of this database do not take; "sentimnt" in ASCII.
    private const long MigrationLockKey = 0x73656E74696D6E74;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await retry.ExecuteAsync(
            Dependency.Postgres,
            async token =>
            {
                await using var scope = scopes.CreateAsyncScope();
                var database = scope.ServiceProvider.GetRequiredService<SentimentDbContext>().Database;
                if (!await database.CanConnectAsync(token))
                {
                    await CreateDatabaseAsync(database, token);
                }

                await database.OpenConnectionAsync(token);
                try
                {
                    await database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", token);
                    await database.MigrateAsync(token);
                }
                finally
                {
                    // Closing the connection would also release the lock, but pooling keeps the session open.
                    await database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
                    await database.CloseConnectionAsync();
                }
            },
            cancellationToken);
        logger.LogInformation("The results database is up to date");
    }

    private static async Task CreateDatabaseAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        try
        {
            await database.GetService<IRelationalDatabaseCreator>().CreateAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another worker created it first.
        }
    }
}
