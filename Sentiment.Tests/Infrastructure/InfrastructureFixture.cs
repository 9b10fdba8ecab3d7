using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Sentiment.AppHost.LocalResources;
using Sentiment.Contracts;
using Sentiment.Storage;
using Sentiment.Tests.AppHost;

namespace Sentiment.Tests.Infrastructure;

/// <summary>
/// One real Redis and one real PostgreSQL for the whole test run: the AppHost's own local resources, started by Aspire
/// (DCP) on ports it allocates, with their data in a temporary folder that is deleted at the end. The services are left
/// out of the model; tests start the ones they need in-process.
/// </summary>
public sealed class InfrastructureFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(2);

    private readonly DirectoryInfo _dataRoot = Directory.CreateTempSubdirectory("sentiment-tests-");
    private DistributedApplication? _app;
    private string? _redis;
    private string? _postgres;

    /// <summary>StackExchange.Redis format with the password, and <c>allowAdmin=true</c> (FLUSHDB, INFO, ...).</summary>
    public string RedisConnectionString => Started(_redis) + ",allowAdmin=true";

    /// <summary>Npgsql connection string for the <c>postgres</c> maintenance database, as the superuser.</summary>
    public string PostgresAdminConnectionString => ConnectionStringFor("postgres");

    /// <summary>The same server with <c>defaultDatabase=<paramref name="database"/></c>, so a test can keep to itself.</summary>
    public string RedisConnectionStringFor(int database)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(database);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(database, 15); // redis-server's default "databases 16"
        return string.Create(CultureInfo.InvariantCulture, $"{RedisConnectionString},defaultDatabase={database}");
    }

    /// <summary>
    /// Creates a database unless it exists (a fresh one with a unique name when none is given) and returns its Npgsql
    /// connection string.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= $"test_{Guid.NewGuid():N}";
        await LocalPostgresBuilderExtensions.CreateDatabaseAsync(PostgresAdminConnectionString, name, CancellationToken.None);
        return ConnectionStringFor(name);
    }

    /// <summary>
    /// Creates a fresh database with the current schema, applying the migrations as the worker does at start-up, for
    /// tests that use the tables without starting a worker. Returns its Npgsql connection string.
    /// </summary>
    public async Task<string> CreateMigratedDatabaseAsync()
    {
        var connectionString = await CreateDatabaseAsync();

        // Unpooled: a pooled connection left idle here would be the one a test's later query takes after an outage
        // it staged had cut it.
        await using var context = NewDbContext(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await context.Database.MigrateAsync();
        return connectionString;
    }

    /// <summary>An EF Core context on a test database, for tests that seed or read its tables directly.</summary>
    public static SentimentDbContext NewDbContext(string connectionString) =>
        new(new DbContextOptionsBuilder<SentimentDbContext>().UseNpgsql(connectionString).Options);

    public async Task InitializeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(StartupTimeout);
            _app = await AppHostTesting.StartInfrastructureAsync(_dataRoot.FullName, timeout.Token, maxConnections: 400);
            _redis = await _app.GetConnectionStringAsync(ResourceNames.Redis, timeout.Token);
            _postgres = await _app.GetConnectionStringAsync(ResourceNames.Postgres, timeout.Token);
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
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }

        if (_dataRoot.Exists)
        {
            _dataRoot.Delete(recursive: true);
        }
    }

    private string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(Started(_postgres)) { Database = database }.ConnectionString;

    private static string Started(string? connectionString) =>
        connectionString ?? throw new InvalidOperationException("The infrastructure fixture has not been initialised.");
}

[CollectionDefinition(Name)]
public sealed class InfrastructureCollection : ICollectionFixture<InfrastructureFixture>
{
    public const string Name = "infrastructure";
}
