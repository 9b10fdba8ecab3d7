using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using StackExchange.Redis;

namespace Sentiment.Tests.Infrastructure;

[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class InfrastructureFixtureTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Redis_answers_ping_with_the_fixture_connection_string()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(infrastructure.RedisConnectionString);

        var latency = await redis.GetDatabase().PingAsync();

        Assert.True(latency >= TimeSpan.Zero);
    }

    [Fact]
    public async Task Redis_refuses_commands_without_the_password()
    {
        // Spoken in RESP directly: a client library would retry its handshake instead of showing the refusal.
        var endpoint = (DnsEndPoint)ConfigurationOptions.Parse(infrastructure.RedisConnectionString).EndPoints.Single();
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint.Host, endpoint.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray());
        using var reader = new StreamReader(stream);

        var reply = await reader.ReadLineAsync();

        Assert.Equal("-NOAUTH Authentication required.", reply);
    }

    [Fact]
    public async Task Postgres_allows_the_connections_a_whole_run_keeps_open()
    {
        await using var connection = new NpgsqlConnection(infrastructure.PostgresAdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SHOW max_connections", connection);

        var maxConnections = (string?)await command.ExecuteScalarAsync();

        Assert.Equal("400", maxConnections);
    }

    [Fact]
    public async Task Redis_runs_with_append_only_persistence_flushed_every_second()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(infrastructure.RedisConnectionString);
        var server = redis.GetServers().Single();

        var settings = (await server.ConfigGetAsync("append*")).ToDictionary(p => p.Key, p => p.Value);

        Assert.Equal("yes", settings["appendonly"]);
        Assert.Equal("everysec", settings["appendfsync"]);
    }

    [Fact]
    public async Task Redis_connection_string_for_a_database_keeps_keys_apart()
    {
        var key = $"isolation:{Guid.NewGuid():N}";
        await using var seven = await ConnectionMultiplexer.ConnectAsync(infrastructure.RedisConnectionStringFor(7));
        await using var eight = await ConnectionMultiplexer.ConnectAsync(infrastructure.RedisConnectionStringFor(8));

        await seven.GetDatabase().StringSetAsync(key, "seven");

        Assert.Equal(7, seven.GetDatabase().Database);
        Assert.Equal("seven", (string?)await seven.GetDatabase().StringGetAsync(key));
        Assert.False(await eight.GetDatabase().KeyExistsAsync(key));
    }

    [Fact]
    public void Redis_connection_string_for_a_database_outside_0_to_15_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => infrastructure.RedisConnectionStringFor(16));
    }

    [Fact]
    public async Task Created_database_is_the_one_its_connection_string_opens()
    {
        var connectionString = await infrastructure.CreateDatabaseAsync();
        var expected = new NpgsqlConnectionStringBuilder(connectionString).Database;

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT current_database()", connection);

        Assert.StartsWith("test_", expected, StringComparison.Ordinal);
        Assert.Equal(expected, (string?)await query.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Migrated_database_has_every_migration_applied()
    {
        var connectionString = await infrastructure.CreateMigratedDatabaseAsync();

        await using var context = InfrastructureFixture.NewDbContext(connectionString);
        Assert.Equal(context.Database.GetMigrations(), await context.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task Creating_a_named_database_twice_returns_the_same_database()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"named_{Guid.NewGuid():N}");

        var first = await infrastructure.CreateDatabaseAsync(name);
        var second = await infrastructure.CreateDatabaseAsync(name);

        Assert.Equal(first, second);
        await using var admin = new NpgsqlConnection(infrastructure.PostgresAdminConnectionString);
        await admin.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", admin)
        {
            Parameters = { new NpgsqlParameter { Value = name } },
        };
        Assert.Equal(1L, (long?)await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Postgres_database_is_utf8_and_refuses_a_wrong_password()
    {
        var connectionString = await infrastructure.CreateDatabaseAsync();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var encoding = new NpgsqlCommand("SHOW server_encoding", connection);
            Assert.Equal("UTF8", (string?)await encoding.ExecuteScalarAsync());
        }

        var wrong = new NpgsqlConnectionStringBuilder(connectionString) { Password = "wrong", Pooling = false };
        await using var refused = new NpgsqlConnection(wrong.ConnectionString);
        var error = await Assert.ThrowsAsync<PostgresException>(() => refused.OpenAsync());
        Assert.Equal(PostgresErrorCodes.InvalidPassword, error.SqlState);
    }
}
