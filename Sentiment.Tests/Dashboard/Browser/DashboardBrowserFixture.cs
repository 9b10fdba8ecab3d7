using System.Globalization;
using System.Net.Http.Json;
using Sentiment.Tests.AppHost;

namespace Sentiment.Tests.Dashboard.Browser;

/// <summary>
/// The whole system started by the AppHost as a process (Redis, PostgreSQL, ingest, two workers, the dashboard),
/// and Chromium, shared by the browser tests of one class.
/// </summary>
public sealed class DashboardBrowserFixture : IAsyncLifetime
{
    private AppHostProcess? _host;
    private ChromiumBrowser? _chromium;

    public AppHostProcess Host => _host ?? throw new InvalidOperationException("Not started.");

    public ChromiumBrowser Chromium => _chromium ?? throw new InvalidOperationException("Not started.");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        _host = await AppHostProcess.StartAsync();
        await _host.WaitUntilReadyAsync();
        _chromium = await ChromiumBrowser.LaunchAsync();
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
        using var response = await Http.PostAsJsonAsync(new Uri(Host.IngestUrl + "/api/ingest"), body);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<Accepted>();
        return accepted!.Ids;
    }

    private sealed record Accepted(IReadOnlyList<string> Ids);

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
