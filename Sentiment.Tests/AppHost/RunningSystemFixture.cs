using System.Globalization;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Sentiment.Contracts;

namespace Sentiment.Tests.AppHost;

/// <summary>
/// The whole system as the real AppHost declares it (Redis, PostgreSQL, the migrations, ingest, two workers, the
/// dashboard) and the Aspire dashboard, started once through Aspire.Hosting.Testing and shared by the tests that only
/// look at it or post a few messages.
/// </summary>
public sealed class RunningSystemFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(3);

    private DistributedApplication? _app;

    public DirectoryInfo DataRoot { get; } = Directory.CreateTempSubdirectory("sentiment-system-tests-");

    public DistributedApplication App => _app ?? throw new InvalidOperationException("Not started.");

    /// <summary>The ingest API's base address, without a trailing slash.</summary>
    public string IngestUrl { get; private set; } = "";

    /// <summary>The dashboard's base address, without a trailing slash.</summary>
    public string DashboardUrl { get; private set; } = "";

    /// <summary>A client of the running system with the read key the AppHost generated (a viewer of the dashboard's API).</summary>
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The credentials the AppHost generated into the data root's secrets.json.</summary>
    public LocalCredentials Credentials { get; private set; } = null!;

    /// <summary>What <c>GET /api/metrics</c> answered as soon as the dashboard first reported healthy.</summary>
    public System.Net.HttpStatusCode FirstMetricsStatus { get; private set; }

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartupTimeout);
        var builder = await AppHostTesting.CreateBuilderAsync(DataRoot.FullName, enableDashboard: true);
        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
        Credentials = LocalCredentials.Read(DataRoot.FullName);
        Http.DefaultRequestHeaders.Authorization = new("Bearer", Credentials.ReadApiKey);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Dashboard, timeout.Token);
        DashboardUrl = _app.GetEndpoint(ResourceNames.Dashboard, "http").ToString().TrimEnd('/');

        // The first moment the dashboard is healthy on a new data root: its read API must already find the schema.
        using (var metrics = await Http.GetAsync(new Uri(DashboardUrl + "/api/metrics"), timeout.Token))
        {
            FirstMetricsStatus = metrics.StatusCode;
        }

        foreach (var service in (string[])[ResourceNames.Ingest, ResourceNames.Worker, ResourceNames.Notifier])
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);
        }

        IngestUrl = _app.GetEndpoint(ResourceNames.Ingest, "http").ToString().TrimEnd('/');
    }

    /// <summary>Posts <paramref name="messages"/> in one request to the ingest API, checks that it accepted them, and returns their ids.</summary>
    public async Task<IReadOnlyList<string>> PostAsync(IEnumerable<(string Source, string Text, DateTimeOffset Timestamp)> messages)
    {
        var body = messages.Select(message => new
        {
            source = message.Source,
            text = message.Text,
            timestamp = message.Timestamp.ToString("O", CultureInfo.InvariantCulture),
        }).ToList();
        using var request = IngestRequest(JsonContent.Create(body));
        using var response = await Http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<Accepted>();
        return accepted!.Ids;
    }

    /// <summary>A POST to ingest with the generated ingest key.</summary>
    public HttpRequestMessage IngestRequest(HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(IngestUrl + "/api/ingest")) { Content = content };
        request.Headers.Authorization = new("Bearer", Credentials.IngestApiKey);
        return request;
    }

    /// <summary>Signs <paramref name="page"/> in to the dashboard with the generated operator login, as a user would.</summary>
    public async Task SignInAsync(Microsoft.Playwright.IPage page)
    {
        await page.GotoAsync(DashboardUrl + "/login");
        await page.FillAsync("#login-name", Credentials.DashboardUser);
        await page.FillAsync("#login-password", Credentials.DashboardPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(DashboardUrl + "/");
    }

    /// <summary>The running processes of <paramref name="project"/> (e.g. Sentiment.Worker) that this system started.</summary>
    public async Task<IReadOnlyList<ProcessEntry>> ProcessesOfAsync(string project)
    {
        var redis = await App.GetConnectionStringAsync(ResourceNames.Redis);
        return ProcessTree.All()
            .Where(process => process.IsRunning && process.CommandLine.Split(' ')[0].EndsWith("/" + project, StringComparison.Ordinal))
            .Where(process => ProcessTree.Environment(process.Id).TryGetValue("ConnectionStrings__redis", out var value) && value == redis)
            .ToList();
    }

    private sealed record Accepted(IReadOnlyList<string> Ids);

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        DataRoot.Delete(recursive: true);
    }
}
