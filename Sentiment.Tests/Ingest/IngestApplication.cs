using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Sentiment.Ingest;

namespace Sentiment.Tests.Ingest;

/// <summary>The ingest service in memory, with its real Redis client pointed at <paramref name="redisConnectionString"/>.</summary>
/// <param name="settings">Configuration keys to set besides the connection string (e.g. <c>Ingest:MaxBacklog</c>).</param>
public sealed class IngestApplication(string redisConnectionString, IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<IngestOptions>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:redis", redisConnectionString);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }
}
