using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sentiment.AppHost.Infrastructure;
using Sentiment.AppHost.Processes;

namespace Sentiment.Tests.AppHost;

/// <summary>What stops the host before it starts anything: one line saying what to do, and exit code 1.</summary>
[Collection(AppHostCollection.Name)]
public sealed class AppHostSetupErrorTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Missing_redis_server_exits_with_one_line_naming_the_package_and_run_sh()
    {
        await using var host = await AppHostProcess.StartAsync(environment: new Dictionary<string, string?> { ["PATH"] = "/nonexistent" });

        var exitCode = await host.Exited.WaitAsync(ExitTimeout);

        Assert.Equal(1, exitCode);
        Assert.Equal(
            "redis-server was not found: install the Debian package 'redis-server' (./run.sh installs it).",
            host.Output);
        Assert.Empty(host.Children());
    }

    [Fact]
    public void Missing_postgres_binaries_name_the_postgresql_package_and_run_sh()
    {
        var error = Assert.Throws<MissingDependencyException>(() => new PostgresServer("postgres", new PostgresServerOptions
        {
            DataDirectory = "/nonexistent/postgres",
            Port = 5432,
            Password = "unused",
            BinDirectory = "/nonexistent/bin",
        }));

        Assert.Equal(
            "PostgreSQL (initdb, postgres) was not found: install the Debian package 'postgresql' (./run.sh installs it).",
            error.Message);
    }

    [Fact]
    public async Task Busy_ingest_port_exits_with_one_line_naming_the_port_and_the_setting()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        // A later --AppHost:Ports:ingest wins over the free port the test harness passes first.
        await using var host = await AppHostProcess.StartAsync(["--AppHost:Ports:ingest", port]);
        var exitCode = await host.Exited.WaitAsync(ExitTimeout);

        Assert.Equal(1, exitCode);
        Assert.Equal(
            $"Port {port} on 127.0.0.1, wanted by ingest, is in use: stop what listens there, or choose another port with --AppHost:Ports:ingest <port>.",
            host.Output);
        Assert.Empty(host.Children());
    }

    [Fact]
    public async Task Zero_worker_replicas_exits_with_one_line_naming_the_setting()
    {
        await using var host = await AppHostProcess.StartAsync(["--AppHost:Replicas:worker", "0"]);

        var exitCode = await host.Exited.WaitAsync(ExitTimeout);

        Assert.Equal(1, exitCode);
        Assert.Equal("AppHost:Replicas:worker must be 1 to 64, not 0.", host.Output);
    }

    [Fact]
    public async Task Misspelt_resource_in_a_port_setting_exits_with_one_line_listing_the_resources()
    {
        await using var host = await AppHostProcess.StartAsync(["--AppHost:Ports:ingset", "5090"]);

        var exitCode = await host.Exited.WaitAsync(ExitTimeout);

        Assert.Equal(1, exitCode);
        Assert.Equal(
            "AppHost:Ports:ingset names no resource; the resources are redis, postgres, sentimentdb, ingest, dashboard, worker.",
            host.Output);
    }

    [Fact]
    public async Task Reset_data_deletes_the_servers_data_and_passwords_and_nothing_else()
    {
        var dataRoot = Directory.CreateTempSubdirectory("sentiment-reset-tests-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dataRoot.FullName, "redis"));
            Directory.CreateDirectory(Path.Combine(dataRoot.FullName, "postgres"));
            await File.WriteAllTextAsync(Path.Combine(dataRoot.FullName, "secrets.json"), """{ "redis-password": "old" }""");
            await File.WriteAllTextAsync(Path.Combine(dataRoot.FullName, "redis", "appendonly.aof"), "old data");
            await File.WriteAllTextAsync(Path.Combine(dataRoot.FullName, "notes.txt"), "not the host's");

            // Without redis-server on PATH the host stops right after the reset, before it starts anything.
            await using var host = await AppHostProcess.StartAsync(
                ["--data-root", dataRoot.FullName, "--reset-data"],
                new Dictionary<string, string?> { ["PATH"] = "/nonexistent" });
            await host.Exited.WaitAsync(ExitTimeout);

            // secrets.json is written again with new passwords before the host finds redis-server missing.
            Assert.False(Directory.Exists(Path.Combine(dataRoot.FullName, "redis")), "redis data should be deleted");
            Assert.False(Directory.Exists(Path.Combine(dataRoot.FullName, "postgres")), "postgres data should be deleted");
            Assert.DoesNotContain("\"old\"", await File.ReadAllTextAsync(Path.Combine(dataRoot.FullName, "secrets.json")), StringComparison.Ordinal);
            Assert.Equal("not the host's", await File.ReadAllTextAsync(Path.Combine(dataRoot.FullName, "notes.txt")));
            Assert.Contains($"Deleted the data and generated passwords in {dataRoot.FullName}", host.Output, StringComparison.Ordinal);
        }
        finally
        {
            dataRoot.Delete(recursive: true);
        }
    }

    [Fact]
    public void Loopback_port_with_a_listener_is_not_free()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();

        Assert.False(LoopbackPorts.IsFree(((IPEndPoint)squatter.LocalEndpoint).Port));
    }
}
