using System.Runtime.Versioning;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Npgsql;
using Sentiment.Contracts;
using StackExchange.Redis;

namespace Sentiment.Tests.AppHost;

/// <summary>
/// The AppHost's local Redis and PostgreSQL resources as Aspire runs them: Aspire's connection strings, data and
/// passwords that survive a restart, secrets kept out of ps, and PostgreSQL as the postgres user.
/// </summary>
[Collection(AppHostCollection.Name)]
[UnsupportedOSPlatform("windows")]
[Trait("Category", "Integration")]
public sealed class LocalResourceTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly DirectoryInfo _dataRoot = Directory.CreateTempSubdirectory("sentiment-local-resources-");
    private DistributedApplication? _app;

    private DistributedApplication App => _app!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        _app = await AppHostTesting.StartInfrastructureAsync(_dataRoot.FullName, timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _dataRoot.Delete(recursive: true);
    }

    [Fact]
    public async Task Connection_strings_have_the_shape_of_aspires_own_redis_and_postgres_resources()
    {
        var redis = await App.GetConnectionStringAsync(ResourceNames.Redis);
        var database = await App.GetConnectionStringAsync(ResourceNames.Database);

        Assert.Matches(@"^localhost:\d+,password=[A-Za-z0-9]{32}$", redis);
        Assert.Matches(@"^Host=localhost;Port=\d+;Username=postgres;Password=[A-Za-z0-9]{32};Database=sentimentdb$", database);
    }

    [Fact]
    public async Task Database_is_created_once_the_server_is_ready()
    {
        await using var connection = new NpgsqlConnection(await App.GetConnectionStringAsync(ResourceNames.Database));
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT current_database()", connection);

        Assert.Equal("sentimentdb", (string?)await query.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Redis_keeps_its_data_and_password_across_a_restart()
    {
        var connectionString = await App.GetConnectionStringAsync(ResourceNames.Redis);
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(connectionString!))
        {
            await connection.GetDatabase().StringSetAsync("survives", "restart");
        }

        await RestartAsync(ResourceNames.Redis);

        await using var again = await ConnectionMultiplexer.ConnectAsync((await App.GetConnectionStringAsync(ResourceNames.Redis))!);
        Assert.Equal("restart", (string?)await again.GetDatabase().StringGetAsync("survives"));
    }

    [Fact]
    public async Task Postgres_keeps_its_databases_and_password_across_a_restart()
    {
        var admin = new NpgsqlConnectionStringBuilder(await App.GetConnectionStringAsync(ResourceNames.Postgres)) { Database = "postgres", Pooling = false };
        await ExecuteAsync(admin.ConnectionString, "CREATE DATABASE survives_restart");

        await RestartAsync(ResourceNames.Postgres);

        admin.Database = "survives_restart";
        await ExecuteAsync(admin.ConnectionString, "SELECT 1");
    }

    [Fact]
    public async Task Redis_password_is_in_an_owner_only_file_not_on_its_command_line()
    {
        var password = ConfigurationOptions.Parse((await App.GetConnectionStringAsync(ResourceNames.Redis))!).Password;
        var commandLine = await File.ReadAllTextAsync($"/proc/{App.ProcessIdOf(ResourceNames.Redis)}/cmdline");
        var configuration = Path.Combine(_dataRoot.FullName, "redis", "redis.conf");

        Assert.Contains("redis-server", commandLine, StringComparison.Ordinal);
        Assert.DoesNotContain(password!, commandLine, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(configuration));
        Assert.Contains($"requirepass {password}", await File.ReadAllTextAsync(configuration), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Everything_in_the_data_root_is_for_its_owner_only()
    {
        // Makes Redis write each kind of file it keeps: the append-only log and a snapshot.
        var connectionString = await App.GetConnectionStringAsync(ResourceNames.Redis);
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(connectionString + ",allowAdmin=true"))
        {
            await connection.GetDatabase().StringSetAsync("private", "every message's text is in these files");
            await connection.GetServers().Single().ExecuteAsync("SAVE");
        }

        const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        var entries = _dataRoot.EnumerateFileSystemInfos("*", SearchOption.AllDirectories).Where(entry => entry.LinkTarget is null).ToList();
        var open = entries.Where(entry => (entry.UnixFileMode & GroupOrOthers) != 0).Select(entry => $"{entry.FullName} ({entry.UnixFileMode})");

        Assert.Empty(open);
        Assert.Contains(entries, entry => entry.Name == "dump.rdb");
        Assert.Contains(entries, entry => entry.Name.EndsWith(".aof", StringComparison.Ordinal));
        // The root itself: others may at most pass through it (so the postgres user reaches its folder when the host
        // runs as root), never list or read it.
        Assert.Equal(UnixFileMode.None, _dataRoot.UnixFileMode & (GroupOrOthers & ~UnixFileMode.OtherExecute));
    }

    [Fact]
    public void Generated_passwords_are_kept_in_secrets_json_readable_by_the_owner_only()
    {
        var secrets = Path.Combine(_dataRoot.FullName, "secrets.json");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secrets));
        Assert.Contains("redis-password", File.ReadAllText(secrets), StringComparison.Ordinal);
        Assert.Contains("postgres-password", File.ReadAllText(secrets), StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_runs_as_the_postgres_user_with_an_owner_only_data_directory()
    {
        var status = File.ReadAllLines($"/proc/{App.ProcessIdOf(ResourceNames.Postgres)}/status");
        var userId = status.Single(line => line.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t')[1];
        var expected = Environment.UserName == "root"
            ? File.ReadAllLines("/etc/passwd").Single(line => line.StartsWith("postgres:", StringComparison.Ordinal)).Split(':')[2]
            : userId;

        Assert.Equal(expected, userId);
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(Path.Combine(_dataRoot.FullName, "postgres")));
    }

    private async Task RestartAsync(string resourceName)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var stopped = await App.ResourceCommands.ExecuteCommandAsync(resourceName, KnownResourceCommands.StopCommand, timeout.Token);
        Assert.True(stopped.Success, stopped.Message);
        await App.ResourceNotifications.WaitForResourceAsync(resourceName, KnownResourceStates.TerminalStates, timeout.Token);
        var started = await App.ResourceCommands.ExecuteCommandAsync(resourceName, KnownResourceCommands.StartCommand, timeout.Token);
        Assert.True(started.Success, started.Message);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(resourceName, timeout.Token);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
