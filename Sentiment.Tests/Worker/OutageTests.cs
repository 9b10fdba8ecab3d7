using System.Net;
using Sentiment.Contracts.Messaging;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Worker;

[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class OutageTests(InfrastructureFixture infrastructure)
{
    private const int MessageCount = 50;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task While_postgres_refuses_connections_health_is_red_and_every_message_waits_unacknowledged()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var results = await ResultsDatabase.CreateAsync(infrastructure);
        await using var worker = new WorkerApplication(redis.ConnectionString, results.ConnectionString).Start();
        using var client = worker.CreateClient();
        await Eventually.WaitForAsync(() => client.GetAsync("/health"), response => response.IsSuccessStatusCode, Timeout, "the worker to be healthy");

        // The outage: the database takes no new connections and the worker's pooled ones are cut.
        var outage = await DatabaseOutage.StartAsync(infrastructure, results.ConnectionString);
        var now = DateTimeOffset.UtcNow;
        await redis.PublishAsync(Enumerable.Range(0, MessageCount)
            .Select(i => new FeedbackMessage($"outage-{i:D2}", now, "twitter", $"Written during the outage, number {i}.", null, now)));

        var health = await Eventually.WaitForAsync(
            async () => await (await client.GetAsync("/health")).Content.ReadAsStringAsync(),
            body => body.Contains("\"stream-processing\":{\"status\":\"Unhealthy\"", StringComparison.Ordinal),
            Timeout,
            "the worker's health to turn red");
        Assert.Contains("Postgres is failing", health, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health")).StatusCode);
        await Eventually.WaitForAsync(redis.PendingCountAsync, pending => pending == MessageCount, Timeout, $"all {MessageCount} messages read and held");

        await outage.EndAsync();

        await Eventually.WaitForAsync(redis.IsDrainedAsync, drained => drained, Timeout, "every message acknowledged after the outage");
        Assert.Equal(MessageCount, await results.CountAsync());
        Assert.Empty(await redis.DeadLetterEntriesAsync());
        await Eventually.WaitForAsync(() => client.GetAsync("/health"), response => response.IsSuccessStatusCode, Timeout, "the worker to be healthy again");
    }
}
