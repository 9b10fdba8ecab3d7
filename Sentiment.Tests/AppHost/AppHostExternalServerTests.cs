using Sentiment.AppHost.Infrastructure;
using Sentiment.Tests.Infrastructure;

namespace Sentiment.Tests.AppHost;

/// <summary>
/// With <c>ConnectionStrings__redis</c> and <c>ConnectionStrings__sentimentdb</c> set, the host uses those servers and
/// starts none. The servers here are started by the resource classes themselves, outside the host under test.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class AppHostExternalServerTests : IAsyncLifetime
{
    private const string OtlpEndpoint = "http://127.0.0.1:4317";
    private readonly DirectoryInfo _serverData = Directory.CreateTempSubdirectory("sentiment-external-servers-");
    private RedisServer? _redis;
    private PostgresServer? _postgres;
    private AppHostProcess? _host;

    private AppHostProcess Host => _host!;

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
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
        try
        {
            if (_host is not null)
            {
                await _host.DisposeAsync();
                _host = null;
            }
        }
        finally
        {
            await Task.WhenAll(_redis?.StopAsync() ?? Task.CompletedTask, _postgres?.StopAsync() ?? Task.CompletedTask);
            if (_serverData.Exists)
            {
                _serverData.Delete(recursive: true);
            }
        }
    }

    private async Task StartAsync()
    {
        _redis = TestServers.NewRedis(_serverData.FullName, "external-redis");
        _postgres = TestServers.NewPostgres(_serverData.FullName, "external-postgres");
        await Task.WhenAll(_redis.StartAsync(CancellationToken.None), _postgres.StartAsync(CancellationToken.None));
        await _postgres.CreateDatabaseAsync("external_results", CancellationToken.None);

        _host = await AppHostProcess.StartAsync(environment: new Dictionary<string, string?>
        {
            ["ConnectionStrings__redis"] = _redis.ConnectionString,
            ["ConnectionStrings__sentimentdb"] = _postgres.ConnectionStringFor("external_results"),
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = OtlpEndpoint,
        });
        await _host.WaitUntilReadyAsync();
    }

    [Fact]
    public void Host_starts_no_redis_or_postgres_of_its_own()
    {
        var children = Host.Children().Where(child => child.IsRunning).ToList();

        Assert.DoesNotContain(children, child => child.CommandLine.Contains("redis-server", StringComparison.Ordinal));
        Assert.DoesNotContain(children, child => child.CommandLine.Contains("postgres", StringComparison.Ordinal));
        Assert.Equal(4, children.Count(child => child.CommandLine.EndsWith(".dll", StringComparison.Ordinal)));
    }

    [Fact]
    public void Projects_get_the_given_connection_strings_unchanged()
    {
        var worker = ProcessTree.Environment(WorkerIds().First());

        Assert.Equal(_redis!.ConnectionString, worker["ConnectionStrings__redis"]);
        Assert.Equal(_postgres!.ConnectionStringFor("external_results"), worker["ConnectionStrings__sentimentdb"]);
    }

    [Fact]
    public void OTLP_endpoint_set_for_the_host_is_passed_to_every_project()
    {
        var projects = Host.Children().Where(child => child.IsRunning && child.CommandLine.EndsWith(".dll", StringComparison.Ordinal)).ToList();

        Assert.Equal(4, projects.Count);
        Assert.All(projects, project => Assert.Equal(OtlpEndpoint, ProcessTree.Environment(project.Id)["OTEL_EXPORTER_OTLP_ENDPOINT"]));
    }

    private IEnumerable<int> WorkerIds() => Host.Children()
        .Where(child => child.IsRunning && child.CommandLine.EndsWith("/Sentiment.Worker.dll", StringComparison.Ordinal))
        .Select(child => child.Id);
}
