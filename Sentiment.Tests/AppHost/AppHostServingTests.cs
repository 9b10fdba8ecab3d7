using System.Net;
using System.Runtime.Versioning;
using Npgsql;
using Sentiment.AppHost.ApplicationModel;
using StackExchange.Redis;

namespace Sentiment.Tests.AppHost;

[Collection(AppHostCollection.Name)]
public sealed class AppHostServingTests(RunningAppHostFixture running) : IClassFixture<RunningAppHostFixture>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public void Ready_line_names_the_ingest_and_dashboard_urls()
    {
        Assert.EndsWith(
            $"Sentiment is ready: ingest {running.Host.IngestUrl}, dashboard {running.Host.DashboardUrl}",
            running.ReadyLine,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_health_answers_200()
    {
        using var response = await Http.GetAsync(new Uri(running.Host.IngestUrl + HealthEndpoints.Readiness));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_health_answers_200()
    {
        using var response = await Http.GetAsync(new Uri(running.Host.DashboardUrl + HealthEndpoints.Readiness));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Host_runs_redis_postgres_ingest_two_workers_and_the_dashboard()
    {
        var children = running.Host.Children().Where(child => child.IsRunning).ToList();

        Assert.Single(children, child => child.CommandLine.Contains("redis-server", StringComparison.Ordinal));
        Assert.Single(children, child => child.CommandLine.Contains("postgres -D " + running.Host.DataRoot.FullName, StringComparison.Ordinal)
            && child.ParentId == running.Host.ProcessId);
        Assert.Single(running.ChildrenRunning("Sentiment.Ingest.dll"));
        Assert.Equal(2, running.ChildrenRunning("Sentiment.Worker.dll").Count);
        Assert.Single(running.ChildrenRunning("Sentiment.Dashboard.dll"));
    }

    [Fact]
    public void Ingest_gets_redis_its_url_and_its_telemetry_identity()
    {
        var ingest = ProcessTree.Environment(running.ChildrenRunning("Sentiment.Ingest.dll").Single().Id);

        Assert.Matches(@"^127\.0\.0\.1:\d+,password=[A-Za-z0-9]{32}$", ingest["ConnectionStrings__redis"]);
        Assert.False(ingest.ContainsKey("ConnectionStrings__sentimentdb"), "ingest does not reference the database");
        Assert.Equal(running.Host.IngestUrl, ingest["ASPNETCORE_URLS"]);
        Assert.Equal("ingest", ingest["OTEL_SERVICE_NAME"]);
        Assert.Equal("service.instance.id=ingest", ingest["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal("Development", ingest["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("Development", ingest["DOTNET_ENVIRONMENT"]);
        Assert.False(ingest.ContainsKey("HTTP_PORTS"), "ASPNETCORE_URLS alone sets the port");
        Assert.False(ingest.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"), "no endpoint was set for the host");
    }

    [Fact]
    public void Each_worker_replica_gets_its_own_port_and_instance_id()
    {
        var workers = running.ChildrenRunning("Sentiment.Worker.dll")
            .Select(worker => ProcessTree.Environment(worker.Id))
            .OrderBy(environment => environment["OTEL_RESOURCE_ATTRIBUTES"], StringComparer.Ordinal)
            .ToList();

        Assert.Equal(
            ["service.instance.id=worker-0", "service.instance.id=worker-1"],
            workers.Select(environment => environment["OTEL_RESOURCE_ATTRIBUTES"]));
        Assert.All(workers, environment => Assert.Equal("worker", environment["OTEL_SERVICE_NAME"]));
        Assert.All(workers, environment => Assert.Matches(@"^http://127\.0\.0\.1:\d+$", environment["ASPNETCORE_URLS"]));
        Assert.NotEqual(workers[0]["ASPNETCORE_URLS"], workers[1]["ASPNETCORE_URLS"]);
        Assert.All(workers, environment => Assert.Matches(
            @"^Host=127\.0\.0\.1;Port=\d+;Username=postgres;Password=[A-Za-z0-9]{32};Database=sentimentdb$",
            environment["ConnectionStrings__sentimentdb"]));
    }

    [Fact]
    public void Dashboard_gets_the_ingest_url_as_a_service_reference()
    {
        var dashboard = ProcessTree.Environment(running.ChildrenRunning("Sentiment.Dashboard.dll").Single().Id);

        Assert.Equal(running.Host.IngestUrl, dashboard["services__ingest__http__0"]);
        Assert.Equal(running.Host.DashboardUrl, dashboard["ASPNETCORE_URLS"]);
        Assert.True(dashboard.ContainsKey("ConnectionStrings__sentimentdb"), "the dashboard reads results from the database");
    }

    [Fact]
    public async Task Connection_strings_given_to_a_worker_reach_redis_and_the_created_database()
    {
        var worker = ProcessTree.Environment(running.ChildrenRunning("Sentiment.Worker.dll")[0].Id);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(worker["ConnectionStrings__redis"]);
        await redis.GetDatabase().PingAsync();
        await using var database = new NpgsqlConnection(worker["ConnectionStrings__sentimentdb"]);
        await database.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT current_database()", database);

        Assert.Equal("sentimentdb", (string?)await query.ExecuteScalarAsync());
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Generated_passwords_are_kept_in_secrets_json_readable_by_the_owner_only()
    {
        var secrets = Path.Combine(running.Host.DataRoot.FullName, "secrets.json");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secrets));
        Assert.Contains("redis-password", File.ReadAllText(secrets), StringComparison.Ordinal);
    }

    [Fact]
    public void Child_output_lines_carry_the_resource_name()
    {
        var output = running.Host.Output.Split(Environment.NewLine);

        Assert.Contains(output, line => line.StartsWith("redis      | ", StringComparison.Ordinal));
        Assert.Contains(output, line => line.StartsWith("postgres   | ", StringComparison.Ordinal));
        Assert.Contains(output, line => line.StartsWith("worker-0   | ", StringComparison.Ordinal));
        Assert.Contains(output, line => line.StartsWith("worker-1   | ", StringComparison.Ordinal));
        Assert.Contains(output, line => line.StartsWith("dashboard  | ", StringComparison.Ordinal));
    }
}
