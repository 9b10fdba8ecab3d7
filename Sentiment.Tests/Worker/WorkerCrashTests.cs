using Sentiment.Contracts.Messaging;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Worker;

[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WorkerCrashTests(InfrastructureFixture infrastructure)
{
    private const int MessageCount = 3000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Worker_killed_mid_stream_stores_every_message_exactly_once_after_restart()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var results = await ResultsDatabase.CreateAsync(infrastructure);
        var now = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, MessageCount).Select(i => $"crash-{i:D5}").ToList();
        await redis.PublishAsync(ids.Select(id => new FeedbackMessage(id, now, "twitter", $"Message {id}: delivery was late again", null, now)));
        // Small batches, so the kill lands while most of the stream is still to do.
        var settings = new Dictionary<string, string>(WorkerApplication.FastTimings) { ["Worker:BatchSize"] = "16" };

        long storedAtKill, pendingAtKill;
        using (var first = WorkerProcess.Start(redis.ConnectionString, results.ConnectionString, settings))
        {
            await Eventually.WaitForAsync(results.CountAsync, count => count >= 200 || first.HasExited, Timeout, $"the first worker to store 200 rows\n{first.Output}");
            Assert.False(first.HasExited, $"The first worker exited by itself:\n{first.Output}");
            first.Kill();
            storedAtKill = await results.CountAsync();
            pendingAtKill = await redis.PendingCountAsync();
        }

        Assert.True(storedAtKill < MessageCount, $"The worker stored all {MessageCount} messages before it could be killed; the test proves nothing.");
        // Entries the dead worker had read but not acknowledged: the restarted one must take them over.
        Assert.True(pendingAtKill > 0, "The killed worker left nothing pending; the take-over is not exercised.");

        using var second = WorkerProcess.Start(redis.ConnectionString, results.ConnectionString, settings);
        await Eventually.WaitForAsync(results.CountAsync, count => count >= MessageCount || second.HasExited, Timeout, $"{MessageCount} rows after the restart\n{second.Output}");
        await Eventually.WaitForAsync(redis.IsDrainedAsync, drained => drained, Timeout, $"every entry acknowledged\n{second.Output}");

        var rows = await results.RowsAsync();
        Assert.Equal(MessageCount, rows.Count);
        Assert.Equal(ids, rows.Select(row => row.MessageId).Order());
        Assert.Equal(0, await redis.PendingCountAsync());
        Assert.Empty(await redis.DeadLetterEntriesAsync());
    }
}
