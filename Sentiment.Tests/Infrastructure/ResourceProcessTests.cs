using System.Globalization;
using Npgsql;
using Sentiment.AppHost.Infrastructure;
using Sentiment.AppHost.Processes;
using StackExchange.Redis;

namespace Sentiment.Tests.Infrastructure;

/// <summary>The resource classes on their own: restarts keep data and passwords, and secrets stay out of ps.</summary>
public sealed class ResourceProcessTests : IDisposable
{
    private readonly DirectoryInfo _dataRoot = Directory.CreateTempSubdirectory("sentiment-resource-tests-");

    [Fact]
    public async Task Redis_keeps_its_data_across_a_restart()
    {
        var redis = NewRedis();
        await redis.StartAsync(CancellationToken.None);
        try
        {
            await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
            {
                await connection.GetDatabase().StringSetAsync("survives", "restart");
            }

            await redis.StopAsync();
            await redis.StartAsync(CancellationToken.None);

            await using var again = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
            Assert.Equal("restart", (string?)await again.GetDatabase().StringGetAsync("survives"));
        }
        finally
        {
            await redis.StopAsync();
        }
    }

    [Fact]
    public async Task Redis_password_is_not_on_its_command_line()
    {
        var redis = NewRedis();
        await redis.StartAsync(CancellationToken.None);
        try
        {
            var commandLine = await File.ReadAllTextAsync($"/proc/{redis.ProcessId}/cmdline");

            Assert.Contains("redis-server", commandLine, StringComparison.Ordinal);
            Assert.DoesNotContain(redis.Options.Password, commandLine, StringComparison.Ordinal);
        }
        finally
        {
            await redis.StopAsync();
        }
    }

    [Fact]
    public async Task Postgres_restarted_with_the_stored_password_keeps_its_databases()
    {
        var postgres = NewPostgres();
        await postgres.StartAsync(CancellationToken.None);
        try
        {
            await postgres.CreateDatabaseAsync("kept", CancellationToken.None);
            await postgres.StopAsync();

            var restarted = NewPostgres();
            await restarted.StartAsync(CancellationToken.None);
            try
            {
                await using var connection = new NpgsqlConnection(restarted.ConnectionStringFor("kept"));
                await connection.OpenAsync();
                await using var query = new NpgsqlCommand("SELECT current_database()", connection);
                Assert.Equal("kept", (string?)await query.ExecuteScalarAsync());
            }
            finally
            {
                await restarted.StopAsync();
            }
        }
        finally
        {
            await postgres.StopAsync();
        }
    }

    [Fact]
    public async Task Postgres_with_another_password_than_its_cluster_fails_naming_reset_data()
    {
        var postgres = NewPostgres();
        await postgres.StartAsync(CancellationToken.None);
        await postgres.StopAsync();
        var stranger = new PostgresServer("postgres", postgres.Options with { Password = "not-the-cluster-password" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => stranger.StartAsync(CancellationToken.None));

        Assert.Contains("run with --reset-data", error.Message, StringComparison.Ordinal);
        Assert.Null(stranger.ProcessId);
    }

    [Fact]
    public async Task Postgres_runs_as_the_postgres_user_when_the_host_is_root()
    {
        var hostUserId = await RealUserIdAsync("self");
        var expected = hostUserId == "0"
            ? SystemUser.Find(PostgresServer.SuperUser)!.UserId.ToString(CultureInfo.InvariantCulture)
            : hostUserId;
        var postgres = NewPostgres();
        await postgres.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal(expected, await RealUserIdAsync(postgres.ProcessId!.Value.ToString(CultureInfo.InvariantCulture)));
        }
        finally
        {
            await postgres.StopAsync();
        }
    }

    public void Dispose() => _dataRoot.Delete(recursive: true);

    private RedisServer NewRedis() => TestServers.NewRedis(_dataRoot.FullName);

    // Made anew each time, as after a host restart: the password must come back from secrets.json.
    private PostgresServer NewPostgres() => TestServers.NewPostgres(_dataRoot.FullName);

    private static async Task<string> RealUserIdAsync(string process)
    {
        var status = await File.ReadAllLinesAsync($"/proc/{process}/status");
        return status.Single(line => line.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t')[1];
    }
}
