using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Aspire.Hosting.Testing;
using Sentiment.Cli.Load;
using Sentiment.Contracts;
using Sentiment.Tests.AppHost;

namespace Sentiment.Tests.Faults;

/// <summary>
/// The whole system as the real AppHost declares it (through Aspire.Hosting.Testing, so that a killed resource can be
/// started again as the Aspire dashboard's Start button does), shared by the fault cases, each of which leaves it
/// whole again. Settings differ from the defaults only to keep the cases short: a backlog bound of 10,000 (the
/// issue's flood), a Retry-After of 1 s, and workers that claim a dead consumer's entries after 5 s instead of 60 s.
/// </summary>
public sealed class FaultSystemFixture : IAsyncLifetime
{
    public const int BacklogBound = 10_000;

    public static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(3);

    private static readonly string[] Services = [ResourceNames.Ingest, ResourceNames.Dashboard, ResourceNames.Worker, ResourceNames.Notifier];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ResourceEvent> _instances = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopWatching = new();
    private DistributedApplication? _app;
    private Task? _watching;

    public DirectoryInfo DataRoot { get; } = Directory.CreateTempSubdirectory("sentiment-fault-tests-");

    public DistributedApplication App => _app ?? throw new InvalidOperationException("Not started.");

    public Uri IngestUrl { get; private set; } = null!;

    public Uri DashboardUrl { get; private set; } = null!;

    public LocalCredentials Credentials { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartupTimeout);
        var builder = await AppHostTesting.CreateBuilderAsync(DataRoot.FullName);
        builder.CreateResourceBuilder(Project(builder, ResourceNames.Ingest))
            .WithEnvironment("Ingest__MaxBacklog", BacklogBound.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Ingest__RetryAfterSeconds", "1");
        builder.CreateResourceBuilder(Project(builder, ResourceNames.Worker))
            .WithEnvironment("Worker__ClaimMinIdle", "00:00:05")
            .WithEnvironment("Worker__ClaimInterval", "00:00:02")
            .WithEnvironment("Worker__RetryMaxDelay", "00:00:02");
        _app = await builder.BuildAsync(timeout.Token);
        _watching = WatchInstancesAsync(_app, _stopWatching.Token);
        await _app.StartAsync(timeout.Token);
        Credentials = LocalCredentials.Read(DataRoot.FullName);
        await WaitUntilWholeAsync();
        IngestUrl = _app.GetEndpoint(ResourceNames.Ingest, "http");
        DashboardUrl = _app.GetEndpoint(ResourceNames.Dashboard, "http");
    }

    /// <summary>A plan for one case: its own source, retries no further apart than 250 ms, and at most 2 minutes to store.</summary>
    public static LoadPlan Plan(int messages, double rate, int batchSize = 100) => new()
    {
        Messages = messages,
        Rate = rate,
        BatchSize = batchSize,
        Senders = 4,
        MaxRetryDelay = TimeSpan.FromMilliseconds(250),
        StoreTimeout = TimeSpan.FromMinutes(2),
        SourcePrefix = "fault",
    };

    public LoadRun Run(LoadPlan plan, Func<CancellationToken, Task>? fault = null, int? faultAfter = null) =>
        new(Http, IngestUrl, Credentials.IngestApiKey, DashboardUrl, Credentials.ReadApiKey, plan, fault, faultAfter);

    /// <summary>Waits until Redis, PostgreSQL and every service instance run and are healthy.</summary>
    public async Task WaitUntilWholeAsync()
    {
        using var timeout = new CancellationTokenSource(StartupTimeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Redis, timeout.Token);
        await WaitUntilHealthyAsync(Instances(ResourceNames.Redis).Single(), timeout.Token);
        await WaitUntilHealthyAsync(Instances(ResourceNames.Postgres).Single(), timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Database, timeout.Token);
        foreach (var service in Services)
        {
            // Aspire's own waits find a resource by name, which replicas do not have: so each instance is awaited.
            while (Instances(service).Count == 0)
            {
                await Task.Delay(100, timeout.Token);
            }

            foreach (var instance in Instances(service))
            {
                await WaitUntilHealthyAsync(instance, timeout.Token);
            }
        }
    }

    /// <summary>The running processes of a project (e.g. Sentiment.Worker), one per instance.</summary>
    public async Task<IReadOnlyList<ProcessEntry>> ProcessesOfAsync(string project)
    {
        var redis = await App.GetConnectionStringAsync(ResourceNames.Redis);
        return ProcessTree.All()
            .Where(process => process.IsRunning && process.CommandLine.Split(' ')[0].EndsWith("/" + project, StringComparison.Ordinal))
            .Where(process => ProcessTree.Environment(process.Id).TryGetValue("ConnectionStrings__redis", out var value) && value == redis)
            .ToList();
    }

    /// <summary>The process of an executable resource (redis-server, the postgres postmaster), as DCP reports it.</summary>
    public ProcessEntry ProcessOf(string resourceName) =>
        ProcessTree.Read(App.ProcessIdOf(resourceName)) ?? throw new InvalidOperationException($"{resourceName} does not run.");

    /// <summary>
    /// The resource instance (e.g. <c>worker-abcdwxyz</c>) that DCP started <paramref name="process"/> as: itself, or
    /// the <c>dotnet run</c> that runs a project.
    /// </summary>
    public string InstanceOf(string resourceName, ProcessEntry process) =>
        Instances(resourceName).Single(instance =>
            _instances[instance].Snapshot.Properties.SingleOrDefault(property => property.Name == "executable.pid")?.Value is { } pid
            && Convert.ToInt32(pid, System.Globalization.CultureInfo.InvariantCulture) is var id
            && (id == process.Id || id == process.ParentId));

    /// <summary>The instance ids (<c>worker-abcdwxyz</c>) of a resource, one per replica.</summary>
    public IReadOnlyList<string> Instances(string resourceName) =>
        [.. _instances.Values.Where(change => change.Resource.Name == resourceName).Select(change => change.ResourceId).Order(StringComparer.Ordinal)];

    /// <summary>Keeps each instance's latest snapshot: Aspire names replicas only in its notifications.</summary>
    private async Task WatchInstancesAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in app.ResourceNotifications.WatchAsync(cancellationToken))
            {
                _instances[change.ResourceId] = change;
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    /// <summary>kill -9, and wait until the process is gone.</summary>
    public static async Task KillAsync(ProcessEntry process)
    {
        using (var running = Process.GetProcessById(process.Id))
        {
            running.Kill(); // SIGKILL
        }

        await AppHostProcess.WaitUntilGoneAsync([process], TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Restarts a resource instance whose process was killed, as the Aspire dashboard's Restart button does (Aspire
    /// restarts nothing by itself), and waits until it reports healthy.
    /// </summary>
    public async Task StartAgainAsync(string instance, CancellationToken cancellationToken)
    {
        var restarted = await App.ResourceCommands.ExecuteCommandAsync(instance, KnownResourceCommands.RestartCommand, cancellationToken);
        Assert.True(restarted.Success, $"Restarting {instance}: {restarted.Message}");
        await WaitUntilHealthyAsync(instance, cancellationToken);
    }

    /// <summary>Polls the instance's latest snapshot (Aspire's waits match resources by name, not a replica's id).</summary>
    private async Task WaitUntilHealthyAsync(string instance, CancellationToken cancellationToken)
    {
        while (!(_instances.TryGetValue(instance, out var current)
            && current.Snapshot.State?.Text == KnownResourceStates.Running
            && current.Snapshot.HealthStatus == HealthStatus.Healthy))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{instance} is not running and healthy: {current?.Snapshot.State?.Text}, {current?.Snapshot.HealthStatus}.");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    private static ProjectResource Project(IDistributedApplicationTestingBuilder builder, string name) =>
        builder.Resources.OfType<ProjectResource>().Single(project => project.Name == name);

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await _stopWatching.CancelAsync();
        if (_watching is not null)
        {
            await _watching;
        }

        _stopWatching.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        DataRoot.Delete(recursive: true);
    }
}
