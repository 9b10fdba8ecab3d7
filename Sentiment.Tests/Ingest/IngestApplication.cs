using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Sentiment.Ingest;
using Sentiment.Tests.Support;

namespace Sentiment.Tests.Ingest;

/// <summary>
/// The ingest service in memory, with its real Redis client pointed at <paramref name="redisConnectionString"/>. Its
/// clients send <see cref="TestCredentials.IngestKey"/>, which may post to every source, unless made with
/// <see cref="CreateAnonymousClient"/>.
/// </summary>
/// <param name="settings">Configuration keys to set besides the connection string (e.g. <c>Ingest:MaxBacklog</c>).</param>
public sealed class IngestApplication(string redisConnectionString, IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<IngestOptions>
{
    private bool _anonymous;

    /// <summary>A client that sends no API key.</summary>
    public HttpClient CreateAnonymousClient()
    {
        _anonymous = true;
        try
        {
            return CreateClient();
        }
        finally
        {
            _anonymous = false;
        }
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        if (!_anonymous)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", TestCredentials.IngestKey);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:redis", redisConnectionString);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in TestCredentials.IngestSettings.Concat(settings ?? new Dictionary<string, string>()))
        {
            builder.UseSetting(key, value);
        }
    }
}
