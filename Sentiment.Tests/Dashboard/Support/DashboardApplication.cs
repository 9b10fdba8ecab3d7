using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Sentiment.Dashboard.Hubs;

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

    public HttpClient CreateApiClient() => new() { BaseAddress = BaseAddress };

    /// <summary>A .NET SignalR client connected to /hubs/sentiment, as any subscriber of the public feed would be.</summary>
    public async Task<HubConnection> ConnectFeedAsync(Action<HubConnection>? handlers = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, SentimentHub.Path))
            .Build();
        handlers?.Invoke(connection);
        await connection.StartAsync();
        _connections.Add(connection);
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
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }
}
