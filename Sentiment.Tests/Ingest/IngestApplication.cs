using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Sentiment.Ingest;

namespace Sentiment.Tests.Ingest;

/// <summary>The ingest service in memory, with its real Redis client pointed at <paramref name="redisConnectionString"/>.</summary>
public sealed class IngestApplication(string redisConnectionString) : WebApplicationFactory<IngestOptions>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:redis", redisConnectionString);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }
}
