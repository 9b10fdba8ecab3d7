using Npgsql;
using Sentiment.Tests.Infrastructure;

namespace Sentiment.Tests.Support;

/// <summary>
/// A test database made unreachable as in an outage: it refuses new connections (<c>ALLOW_CONNECTIONS false</c>) and
/// its open ones, pooled ones included, are terminated, until <see cref="EndAsync"/>.
/// </summary>
public sealed class DatabaseOutage
{
    private readonly string _adminConnectionString;
    private readonly string _database;

    private DatabaseOutage(string adminConnectionString, string database)
    {
        _adminConnectionString = adminConnectionString;
        _database = database;
    }

    /// <summary>Cuts off the database that <paramref name="connectionString"/> opens.</summary>
    public static async Task<DatabaseOutage> StartAsync(InfrastructureFixture infrastructure, string connectionString)
    {
        var outage = new DatabaseOutage(infrastructure.PostgresAdminConnectionString, new NpgsqlConnectionStringBuilder(connectionString).Database!);
        await outage.AdminAsync($"""ALTER DATABASE "{outage._database}" WITH ALLOW_CONNECTIONS false""");
        await outage.AdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{outage._database}'");
        return outage;
    }

    public Task EndAsync() => AdminAsync($"""ALTER DATABASE "{_database}" WITH ALLOW_CONNECTIONS true""");

    private async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
