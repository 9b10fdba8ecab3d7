using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Sentiment.Contracts.Messaging;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Ingest;
using Sentiment.Tests.Telemetry;
using Sentiment.Tests.Worker.Support;
using Sentiment.Worker;
using Sentiment.Worker.Retention;
using Sentiment.Worker.Telemetry;
using StackExchange.Redis;

namespace Sentiment.Tests.Worker;

/// <summary>Entries leave sentiment:input only once every group has acknowledged them and the retention has passed.</summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class StreamTrimmerTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Only_entries_every_group_acknowledged_are_trimmed()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var ids = await PublishAsync(redis, 10);
        var database = redis.Database;
        await database.StreamCreateConsumerGroupAsync(StreamNames.Input, StreamNames.ConsumerGroup, StreamPosition.Beginning);
        var read = await database.StreamReadGroupAsync(StreamNames.Input, StreamNames.ConsumerGroup, "c1", StreamPosition.NewMessages, 6);
        await database.StreamAcknowledgeAsync(StreamNames.Input, StreamNames.ConsumerGroup, [.. read.Take(3).Select(entry => entry.Id)]);
        // A second group (another kind of reader) that has read and acknowledged everything.
        await database.StreamCreateConsumerGroupAsync(StreamNames.Input, "archive", StreamPosition.Beginning);
        var all = await database.StreamReadGroupAsync(StreamNames.Input, "archive", "a1", StreamPosition.NewMessages, 100);
        await database.StreamAcknowledgeAsync(StreamNames.Input, "archive", [.. all.Select(entry => entry.Id)]);

        var trimmed = await Trimmer(redis, retention: TimeSpan.Zero).TrimAsync();

        // Entries 1–3 are acknowledged by both groups; 4–6 are pending, 7–10 never delivered to the processors.
        Assert.Equal(3, trimmed);
        Assert.Equal(ids[3..], (await redis.InputEntriesAsync()).Select(entry => (string)entry.Id!));
    }

    [Fact]
    public async Task A_group_that_read_nothing_keeps_everything()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        await PublishAsync(redis, 5);
        await redis.Database.StreamCreateConsumerGroupAsync(StreamNames.Input, StreamNames.ConsumerGroup, StreamPosition.Beginning);

        Assert.Equal(0, await Trimmer(redis, retention: TimeSpan.Zero).TrimAsync());
        Assert.Equal(5, await redis.InputLengthAsync());
    }

    [Fact]
    public async Task Acknowledged_entries_stay_for_the_retention()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        await PublishAsync(redis, 5);
        var database = redis.Database;
        await database.StreamCreateConsumerGroupAsync(StreamNames.Input, StreamNames.ConsumerGroup, StreamPosition.Beginning);
        var read = await database.StreamReadGroupAsync(StreamNames.Input, StreamNames.ConsumerGroup, "c1", StreamPosition.NewMessages, 5);
        await database.StreamAcknowledgeAsync(StreamNames.Input, StreamNames.ConsumerGroup, [.. read.Select(entry => entry.Id)]);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        Assert.Equal(0, await Trimmer(redis, TimeSpan.FromDays(7), clock).TrimAsync());
        clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        Assert.Equal(5, await Trimmer(redis, TimeSpan.FromDays(7), clock).TrimAsync());
    }

    [Fact]
    public async Task Ingest_appends_without_a_length_cap_so_a_burst_loses_nothing()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        // The setting that used to cap the stream (XADD MAXLEN ~) and drop unread entries; it no longer exists.
        await using var ingest = new IngestApplication(redis.ConnectionString)
            .WithWebHostBuilder(builder => builder.UseSetting("Ingest:StreamMaxLength", "1000"));
        using var client = ingest.CreateClient();

        for (var request = 0; request < 5; request++)
        {
            var body = "[" + string.Join(',', Enumerable.Range(0, 1000).Select(i => $$"""{"source":"burst","text":"message {{request}}-{{i}}"}""")) + "]";
            using var response = await client.PostAsync("/api/ingest", new StringContent(body, Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
        }

        Assert.Equal(5000, await redis.InputLengthAsync());
    }

    private static async Task<string[]> PublishAsync(RedisTestDatabase redis, int count)
    {
        var now = DateTimeOffset.UtcNow;
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = (await redis.Database.StreamAddAsync(
                StreamNames.Input, FeedbackStreamEntry.ToFields(new FeedbackMessage($"t-{i}", now, "web", "text", null, now))))!;
        }

        return ids;
    }

    private static StreamTrimmer Trimmer(RedisTestDatabase redis, TimeSpan retention, TimeProvider? time = null) => new(
        redis.Connection,
        new WorkerTelemetry(new TestMeterFactory()),
        Options.Create(new WorkerOptions { Retention = retention }),
        time ?? TimeProvider.System,
        NullLogger<StreamTrimmer>.Instance);
}
