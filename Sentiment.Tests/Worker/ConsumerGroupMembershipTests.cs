using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sentiment.Contracts.Messaging;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Notifications;
using Sentiment.Tests.Worker.Support;
using Sentiment.Worker;
using Sentiment.Worker.Processing;

namespace Sentiment.Tests.Worker;

/// <summary>
/// A replica's name in the consumer group outlives it only while it still holds entries, and a replica restarted under
/// it takes them back.
/// </summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ConsumerGroupMembershipTests(InfrastructureFixture infrastructure)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Worker_stopped_cleanly_leaves_the_group()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var results = await ResultsDatabase.CreateAsync(infrastructure);
        var worker = new WorkerApplication(redis.ConnectionString, results.ConnectionString).Start();
        var now = DateTimeOffset.UtcNow;
        await redis.PublishAsync(Enumerable.Range(0, 5).Select(i => new FeedbackMessage($"leave-{i}", now, "review", "Fast delivery, thanks.", null, now)));
        await Eventually.WaitForAsync(redis.IsDrainedAsync, drained => drained, Timeout, "every entry acknowledged");
        Assert.Contains(worker.ConsumerName, await ConsumerNamesAsync(redis));

        await worker.DisposeAsync();

        Assert.DoesNotContain(worker.ConsumerName, await ConsumerNamesAsync(redis));
        Assert.Equal(5, await results.CountAsync());
    }

    [Fact]
    public async Task Notifier_service_reads_the_notifiers_group_and_the_worker_does_not()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var results = await ResultsDatabase.CreateAsync(infrastructure);
        await using var worker = new WorkerApplication(redis.ConnectionString, results.ConnectionString).Start();
        var notifier = new NotifierApplication(redis.ConnectionString, results.ConnectionString);
        _ = notifier.Services;
        await Eventually.WaitForAsync(
            async () => (await NotifierNamesAsync(redis)).Contains(notifier.ConsumerName), joined => joined, Timeout, "the notifier reading its group");
        Assert.DoesNotContain(worker.ConsumerName, await NotifierNamesAsync(redis));

        await notifier.DisposeAsync();

        Assert.DoesNotContain(notifier.ConsumerName, await NotifierNamesAsync(redis));
    }

    [Fact]
    public async Task Worker_restarted_under_its_name_takes_back_what_it_held_without_waiting_for_ClaimMinIdle()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var results = await ResultsDatabase.CreateAsync(infrastructure);
        // What a worker killed mid-batch leaves: five entries delivered to it, none acknowledged.
        var killed = Consumer(redis, "replica-0");
        await killed.EnsureGroupAsync();
        var now = DateTimeOffset.UtcNow;
        await redis.PublishAsync(Enumerable.Range(0, 5).Select(i => new FeedbackMessage($"held-{i}", now, "review", "Parcel lost again.", null, now)));
        Assert.Equal(5, (await killed.ReadNewAsync()).Length);

        // A day: no one may take them over within the test, so only the same name gets them back.
        await using var restarted = new WorkerApplication(redis.ConnectionString, results.ConnectionString)
            .WithWebHostBuilder(builder => builder
                .UseSetting("Worker:ConsumerName", "replica-0")
                .UseSetting("Worker:ClaimMinIdle", "1.00:00:00")
                .UseSetting("Worker:ClaimInterval", "1.00:00:00"));
        _ = restarted.Services;

        await Eventually.WaitForAsync(redis.IsDrainedAsync, drained => drained, Timeout, "the held entries processed and acknowledged");
        Assert.Equal(
            ["held-0", "held-1", "held-2", "held-3", "held-4"],
            (await results.RowsAsync()).Select(row => row.MessageId).Order());
        Assert.Empty(await redis.DeadLetterEntriesAsync());
    }

    [Fact]
    public async Task Consumer_holding_pending_entries_stays_in_the_group()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var holder = Consumer(redis, "holder");
        var idle = Consumer(redis, "idle");
        await holder.EnsureGroupAsync();
        var now = DateTimeOffset.UtcNow;
        await redis.PublishAsync([new FeedbackMessage("held-1", now, "review", "Still waiting for my refund.", null, now)]);
        Assert.Single(await holder.ReadNewAsync());
        Assert.Empty(await idle.ReadNewAsync());

        Assert.False(await holder.LeaveGroupIfIdleAsync());
        Assert.True(await idle.LeaveGroupIfIdleAsync());

        Assert.Equal(["holder"], await ConsumerNamesAsync(redis));
        Assert.Equal(1, await redis.PendingCountAsync());
    }

    private static StreamConsumer Consumer(RedisTestDatabase redis, string name) =>
        new(redis.Connection, Options.Create(new WorkerOptions { ConsumerName = name }), TimeProvider.System, NullLogger<StreamConsumer>.Instance);

    private static async Task<List<string>> ConsumerNamesAsync(RedisTestDatabase redis) =>
        [.. (await redis.Database.StreamConsumerInfoAsync(StreamNames.Input, StreamNames.ConsumerGroup)).Select(consumer => consumer.Name)];

    /// <summary>The notifiers' group's consumers; none before the first notifier has created the group.</summary>
    private static async Task<List<string>> NotifierNamesAsync(RedisTestDatabase redis)
    {
        if (!await redis.Database.KeyExistsAsync(StreamNames.Alerts))
        {
            return [];
        }

        var groups = await redis.Database.StreamGroupInfoAsync(StreamNames.Alerts);
        return groups.Any(group => group.Name == StreamNames.NotifierGroup)
            ? [.. (await redis.Database.StreamConsumerInfoAsync(StreamNames.Alerts, StreamNames.NotifierGroup)).Select(consumer => consumer.Name)]
            : [];
    }
}
