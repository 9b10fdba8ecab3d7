using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Sentiment.Dashboard.Hubs;
using Sentiment.Dashboard.Live;
using Sentiment.Tests.Support;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Dashboard.Support;

/// <summary>
/// The dashboard in memory on a real Kestrel port (so SignalR clients connect over real WebSockets), with its real
/// Redis and PostgreSQL clients. Two of them on one Redis are two instances of one deployment.
/// </summary>
public sealed class DashboardApplication(string redisConnectionString, string databaseConnectionString, IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<SentimentHub>
{
    private readonly List<HubConnection> _connections = [];

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts the host on a free loopback port.</summary>
    public DashboardApplication Start()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return this;
    }

    /// <summary>Starts the host and waits until it follows the pipeline live (its channel subscriptions are in place).</summary>
    public async Task<DashboardApplication> StartLiveAsync()
    {
        Start();
        var health = Services.GetRequiredService<LiveFeedHealth>();
        await Eventually.WaitForAsync(() => Task.FromResult(health.IsLive), live => live, TimeSpan.FromSeconds(20), "the dashboard to follow the live feed");
        return this;
    }

    /// <summary>A client of the read API with <see cref="TestCredentials.ReadKey"/> (a viewer), or the given key, or none.</summary>
    public HttpClient CreateApiClient(string? apiKey = "")
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        apiKey = apiKey == "" ? TestCredentials.ReadKey : apiKey;
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>A .NET SignalR client connected to /hubs/sentiment with the read key, as a script following the feed would be.</summary>
    public async Task<HubConnection> ConnectFeedAsync(Action<HubConnection>? handlers = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, SentimentHub.Path), options => options.AccessTokenProvider = () => Task.FromResult<string?>(TestCredentials.ReadKey))
            .Build();
        handlers?.Invoke(connection);
        await connection.StartAsync();
        _connections.Add(connection);
        // The client's start completes at the handshake, before the server's OnConnectedAsync subscribes it to the feed.
        var feed = Services.GetRequiredService<HubFeed>();
        await Eventually.WaitForAsync(
            () => Task.FromResult(feed.IsConnected(connection.ConnectionId!)), connected => connected, TimeSpan.FromSeconds(20), "the hub to subscribe the connection");
        return connection;
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:redis", redisConnectionString);
        builder.UseSetting("ConnectionStrings:sentimentdb", databaseConnectionString);
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in TestCredentials.DashboardSettings.Concat(settings ?? new Dictionary<string, string>()))
        {
            builder.UseSetting(key, value);
        }
    }
}
