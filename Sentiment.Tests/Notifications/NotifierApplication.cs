using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Sentiment.Notifier;

namespace Sentiment.Tests.Notifications;

/// <summary>
/// The notifier service in memory, with its real Redis and PostgreSQL clients, and timings shortened so take-over and
/// retries happen within a test.
/// </summary>
public sealed class NotifierApplication(string redisConnectionString, string databaseConnectionString) : WebApplicationFactory<NotifierOptions>
{
    public static IReadOnlyDictionary<string, string> FastTimings { get; } = new Dictionary<string, string>
    {
        ["Notifier:PollInterval"] = "00:00:00.020",
        ["Notifier:ClaimMinIdle"] = "00:00:01",
        ["Notifier:ClaimInterval"] = "00:00:00.100",
        ["Notifier:RetryBaseDelay"] = "00:00:00.050",
        ["Notifier:RetryMaxDelay"] = "00:00:01",
    };

    public string ConsumerName { get; } = $"test-notifier-{Guid.NewGuid():N}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:redis", redisConnectionString);
        builder.UseSetting("ConnectionStrings:sentimentdb", databaseConnectionString);
        builder.UseSetting("Notifier:ConsumerName", ConsumerName);
        foreach (var (key, value) in FastTimings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }
}
