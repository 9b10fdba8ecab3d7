using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Sentiment.Worker;

namespace Sentiment.Tests.Worker.Support;

/// <summary>
/// The worker service in memory, with its real Redis and PostgreSQL clients and the shipped model, and timings
/// shortened so take-over and retries happen within a test.
/// </summary>
public sealed class WorkerApplication(string redisConnectionString, string databaseConnectionString) : WebApplicationFactory<WorkerOptions>
{
    public static IReadOnlyDictionary<string, string> FastTimings { get; } = new Dictionary<string, string>
    {
        ["Worker:ClaimMinIdle"] = "00:00:01",
        ["Worker:ClaimInterval"] = "00:00:00.250",
        ["Worker:PollInterval"] = "00:00:00.020",
        ["Worker:RetryBaseDelay"] = "00:00:00.050",
        ["Worker:RetryMaxDelay"] = "00:00:01",
    };

    public string ConsumerName { get; } = $"test-worker-{Guid.NewGuid():N}";

    /// <summary>Starts the host, and with it the worker loop.</summary>
    public WorkerApplication Start()
    {
        _ = Services;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:redis", redisConnectionString);
        builder.UseSetting("ConnectionStrings:sentimentdb", databaseConnectionString);
        builder.UseSetting("Worker:ConsumerName", ConsumerName);
        foreach (var (key, value) in FastTimings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }
}
