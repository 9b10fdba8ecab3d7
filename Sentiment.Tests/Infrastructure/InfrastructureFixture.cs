using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Sentiment.AppHost.Infrastructure;
using Sentiment.Core.Storage;

namespace Sentiment.Tests.Infrastructure;

/// <summary>
/// One real Redis and one real PostgreSQL for the whole test run, started by the AppHost's own resource code on free
/// loopback ports with their data in a temporary folder, which is deleted at the end.
/// </summary>
public sealed class InfrastructureFixture : IAsyncLifetime
{
    private readonly DirectoryInfo _dataRoot = Directory.CreateTempSubdirectory("sentiment-tests-");
    private RedisServer? _redis;
    private PostgresServer? _postgres;

    /// <summary>StackExchange.Redis format with the password, and <c>allowAdmin=true</c> (FLUSHDB, INFO, ...).</summary>
    public string RedisConnectionString => Started(_redis).ConnectionString + ",allowAdmin=true";

    /// <summary>Npgsql connection string for the <c>postgres</c> maintenance database, as the superuser.</summary>
    public string PostgresAdminConnectionString => Started(_postgres).AdminConnectionString;

    /// <summary>The same server with <c>defaultDatabase=<paramref name="database"/></c>, so a test can keep to itself.</summary>
    public string RedisConnectionStringFor(int database)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(database);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(database, 15); // redis-server's default "databases 16"
        return string.Create(CultureInfo.InvariantCulture, $"{RedisConnectionString},defaultDatabase={database}");
    }

    /// <summary>Creates a fresh database (a unique name when none is given) and returns its Npgsql connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        var postgres = Started(_postgres);
        name ??= $"test_{Guid.NewGuid():N}";
        await postgres.CreateDatabaseAsync(name, CancellationToken.None);
        return postgres.ConnectionStringFor(name);
    }

    /// <summary>
    /// Creates a fresh database with the current schema, applying the migrations as the worker does at start-up, for
    /// tests that use the tables without starting a worker. Returns its Npgsql connection string.
    /// </summary>
    public async Task<string> CreateMigratedDatabaseAsync()
    {
        var connectionString = await CreateDatabaseAsync();
        await using var context = NewDbContext(connectionString);
        await context.Database.MigrateAsync();
        return connectionString;
    }

    /// <summary>An EF Core context on a test database, for tests that seed or read its tables directly.</summary>
    public static SentimentDbContext NewDbContext(string connectionString) =>
        new(new DbContextOptionsBuilder<SentimentDbContext>().UseNpgsql(connectionString).Options);

    public async Task InitializeAsync()
    {
        _redis = TestServers.NewRedis(_dataRoot.FullName);
        _postgres = TestServers.NewPostgres(_dataRoot.FullName);
        try
        {
            await Task.WhenAll(_redis.StartAsync(CancellationToken.None), _postgres.StartAsync(CancellationToken.None));
        }
        catch
        {
            // xunit 2 disposes after a failed initialisation, xunit 3 does not; disposing twice is harmless.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_redis?.StopAsync() ?? Task.CompletedTask, _postgres?.StopAsync() ?? Task.CompletedTask);
        if (_dataRoot.Exists)
        {
            _dataRoot.Delete(recursive: true);
        }
    }

    private static T Started<T>(T? server)
        where T : class =>
        server ?? throw new InvalidOperationException("The infrastructure fixture has not been initialised.");
}

[CollectionDefinition(Name)]
public sealed class InfrastructureCollection : ICollectionFixture<InfrastructureFixture>
{
    public const string Name = "infrastructure";
}
