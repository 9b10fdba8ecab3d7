using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Retry;
using Sentiment.Storage;

namespace Sentiment.MigrationService.Migrations;

/// <summary>
/// Applies the EF Core migrations, creating the database first when it is missing, and retries while PostgreSQL is
/// unreachable. Safe when several run together (two deployments, or a manual run beside the AppHost's): each holds a
/// PostgreSQL session advisory lock on the results database for its whole run, so one applies the pending migrations
/// and the others then find them applied.
/// </summary>
/// <remarks>
/// EF Core's own migration lock is not enough once there is more than one migration: Npgsql's lock is a
/// <c>LOCK TABLE</c> released with each migration's transaction, and a migrator that already listed a migration as
/// pending applies it after re-taking the lock without checking again, failing on DDL another one just ran
/// (e.g. "column already exists"). A missing database is created first (a concurrent creator's "already exists" is
/// fine), so that every migrator goes through the lock.
/// </remarks>
public sealed class DatabaseMigrator(IServiceScopeFactory scopes, IOptions<MigrationOptions> options, ILogger<DatabaseMigrator> logger)
{
    // Any constant the other users of this database do not take; "sentimnt" in ASCII.
    private const long MigrationLockKey = 0x73656E74696D6E74;

    private readonly ResiliencePipeline _retry = CreateRetry(options.Value, logger);

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        await _retry.ExecuteAsync(
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
            timeout.Token);
        logger.LogInformation("The results database is up to date");
    }

    private static ResiliencePipeline CreateRetry(MigrationOptions options, ILogger logger) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(exception => exception is not PostgresException || exception.IsTransient),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = options.RetryMaxDelay,
            OnRetry = arguments =>
            {
                logger.LogWarning(
                    "PostgreSQL is unreachable ({Error}); migrating again in {Delay:0.0} s (try {Attempt})",
                    arguments.Outcome.Exception?.Message, arguments.RetryDelay.TotalSeconds, arguments.AttemptNumber + 1);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    private static async Task CreateDatabaseAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        try
        {
            await database.GetService<IRelationalDatabaseCreator>().CreateAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another migrator created it first.
        }
    }
}
