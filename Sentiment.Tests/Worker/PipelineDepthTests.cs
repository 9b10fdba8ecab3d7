using Sentiment.Contracts.Messaging;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Worker;

[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PipelineDepthTests(InfrastructureFixture infrastructure)
{
    private const int BatchSize = 4;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// With the database down the last stage waits on its batch, and each stage before it fills up behind it: the
    /// committer holds one, its channel one, the classifier one it classified, the reader's channel one, and the reader
    /// one it read. Five batches, no more however long the backlog; a worker that classified and stored in one step
    /// would hold three.
    /// </summary>
    [Fact]
    public async Task While_the_database_is_down_the_worker_holds_five_batches_and_reads_no_further()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var results = await ResultsDatabase.CreateAsync(infrastructure);
        await using var worker = new WorkerApplication(redis.ConnectionString, results.ConnectionString)
            .WithWebHostBuilder(builder => builder.UseSetting("Worker:BatchSize", BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var client = worker.CreateClient();
        await Eventually.WaitForAsync(() => client.GetAsync("/health"), response => response.IsSuccessStatusCode, Timeout, "the worker to be healthy");

        var outage = await DatabaseOutage.StartAsync(infrastructure, results.ConnectionString);
        var now = DateTimeOffset.UtcNow;
        const int messageCount = 15 * BatchSize;
        await redis.PublishAsync(Enumerable.Range(0, messageCount)
            .Select(i => new FeedbackMessage($"depth-{i:D2}", now, "twitter", $"Backlog message number {i}.", null, now)));

        await Eventually.WaitForAsync(redis.PendingCountAsync, pending => pending >= 5 * BatchSize, Timeout, "five batches read");
        await Task.Delay(TimeSpan.FromSeconds(1)); // fifty polls at Worker:PollInterval 20 ms
        Assert.Equal(5 * BatchSize, await redis.PendingCountAsync());

        await outage.EndAsync();
        await Eventually.WaitForAsync(redis.IsDrainedAsync, drained => drained, Timeout, "every message acknowledged after the outage");
        Assert.Equal(messageCount, await results.CountAsync());
    }
}
