using System.Net;
using Aspire.Hosting.ApplicationModel;
using Npgsql;
using Sentiment.Contracts.Messaging;
using Sentiment.Tests.Worker.Support;
using StackExchange.Redis;

namespace Sentiment.Tests.AppHost;

/// <summary>What the AppHost gives each service when it runs: Aspire's environment contract, and working servers.</summary>
[Collection(AppHostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AppHostServingTests(RunningSystemFixture running)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Ingest_health_answers_200()
    {
        using var response = await Http.GetAsync(new Uri(running.IngestUrl + "/health"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_health_answers_200()
    {
        using var response = await Http.GetAsync(new Uri(running.DashboardUrl + "/health"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ingest_and_the_dashboard_refuse_anonymous_callers_and_take_the_generated_credentials()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };

        using var post = await anonymous.PostAsync(
            new Uri(running.IngestUrl + "/api/ingest"), new StringContent("""{"source":"twitter","text":"hi"}""", System.Text.Encoding.UTF8, "application/json"));
        using var page = await anonymous.GetAsync(new Uri(running.DashboardUrl + "/"));
        using var api = await anonymous.GetAsync(new Uri(running.DashboardUrl + "/api/metrics"));
        using var withKey = await running.Http.GetAsync(new Uri(running.DashboardUrl + "/api/metrics"));

        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        Assert.StartsWith("snt_ingest_", running.Credentials.IngestApiKey, StringComparison.Ordinal);
        Assert.Equal("admin", running.Credentials.DashboardUser);
    }

    [Fact]
    public void On_a_new_data_root_the_read_api_answers_200_from_the_first_healthy_moment()
    {
        Assert.Equal(HttpStatusCode.OK, running.FirstMetricsStatus);
    }

    [Fact]
    public async Task Migrations_run_once_and_finish_with_exit_code_0_before_the_services_start()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var finished = await running.App.ResourceNotifications.WaitForResourceAsync(
            "migrations", resourceEvent => resourceEvent.Snapshot.State?.Text == KnownResourceStates.Finished, timeout.Token);

        Assert.Equal(0, finished.Snapshot.ExitCode);
        Assert.Empty(await running.ProcessesOfAsync("Sentiment.MigrationService"));
    }

    [Fact]
    public async Task Host_runs_one_ingest_two_workers_and_one_dashboard()
    {
        Assert.Single(await running.ProcessesOfAsync("Sentiment.Ingest"));
        Assert.Equal(2, (await running.ProcessesOfAsync("Sentiment.Worker")).Count);
        Assert.Single(await running.ProcessesOfAsync("Sentiment.Dashboard"));
    }

    [Fact]
    public async Task Ingest_gets_redis_and_its_telemetry_identity_and_exports_to_the_aspire_dashboard()
    {
        var ingest = ProcessTree.Environment((await running.ProcessesOfAsync("Sentiment.Ingest")).Single().Id);

        Assert.Matches(@"^localhost:\d+,password=[A-Za-z0-9]{32}$", ingest["ConnectionStrings__redis"]);
        Assert.False(ingest.ContainsKey("ConnectionStrings__sentimentdb"), "ingest does not reference the database");
        Assert.Equal("ingest", ingest["OTEL_SERVICE_NAME"]);
        Assert.Matches(@"^http://localhost:\d+$", ingest["OTEL_EXPORTER_OTLP_ENDPOINT"]);
    }

    [Fact]
    public async Task Each_worker_replica_gets_its_own_port_and_instance_id()
    {
        var workers = (await running.ProcessesOfAsync("Sentiment.Worker"))
            .Select(worker => ProcessTree.Environment(worker.Id))
            .ToList();

        Assert.Equal(2, workers.Select(environment => environment["OTEL_RESOURCE_ATTRIBUTES"]).Distinct().Count());
        Assert.All(workers, environment => Assert.Equal("worker", environment["OTEL_SERVICE_NAME"]));
        Assert.Equal(2, workers.Select(environment => environment["ASPNETCORE_URLS"]).Distinct().Count());
        Assert.All(workers, environment => Assert.Matches(
            @"^Host=localhost;Port=\d+;Username=postgres;Password=[A-Za-z0-9]{32};Database=sentimentdb$",
            environment["ConnectionStrings__sentimentdb"]));
    }

    [Fact]
    public async Task Each_replica_is_named_in_its_consumer_group_by_its_replica_index()
    {
        var workers = (await running.ProcessesOfAsync("Sentiment.Worker")).Select(worker => ProcessTree.Environment(worker.Id)).ToList();
        var notifier = ProcessTree.Environment((await running.ProcessesOfAsync("Sentiment.Notifier")).Single().Id);
        string[] workerNames = [$"{Environment.MachineName}-worker-0", $"{Environment.MachineName}-worker-1"];

        // The same on every run and after a restart, unlike the instance ids, so a restarted replica resumes its own entries.
        Assert.Equal(workerNames, workers.Select(environment => environment["Worker__ConsumerName"]).Order(StringComparer.Ordinal));
        Assert.Equal($"{Environment.MachineName}-notifier-0", notifier["Notifier__ConsumerName"]);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(workers[0]["ConnectionStrings__redis"]);
        var consumers = await Eventually.WaitForAsync(
            async () => (await redis.GetDatabase().StreamConsumerInfoAsync(StreamNames.Input, StreamNames.ConsumerGroup))
                .Select(consumer => (string)consumer.Name!).Order(StringComparer.Ordinal).ToList(),
            names => names.SequenceEqual(workerNames),
            TimeSpan.FromSeconds(30),
            "both workers reading under their names");
        Assert.Equal(workerNames, consumers);
    }

    [Fact]
    public async Task Dashboard_gets_the_ingest_url_as_a_service_reference()
    {
        var dashboard = ProcessTree.Environment((await running.ProcessesOfAsync("Sentiment.Dashboard")).Single().Id);

        Assert.StartsWith("http://localhost:", dashboard["services__ingest__http__0"], StringComparison.Ordinal);
        Assert.True(dashboard.ContainsKey("ConnectionStrings__sentimentdb"), "the dashboard reads results from the database");
    }

    [Fact]
    public async Task Connection_strings_given_to_a_worker_reach_redis_and_the_created_database()
    {
        var worker = ProcessTree.Environment((await running.ProcessesOfAsync("Sentiment.Worker"))[0].Id);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(worker["ConnectionStrings__redis"]);
        await redis.GetDatabase().PingAsync();
        await using var database = new NpgsqlConnection(worker["ConnectionStrings__sentimentdb"]);
        await database.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT current_database()", database);

        Assert.Equal("sentimentdb", (string?)await query.ExecuteScalarAsync());
    }
}
