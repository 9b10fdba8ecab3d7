using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Sentiment.Contracts.Messaging;
using Sentiment.Tests.Dashboard.Support;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Worker.Support;
using StackExchange.Redis;

namespace Sentiment.Tests.Dashboard;

/// <summary>Worker → Redis → dashboard → SignalR client, with the real worker (and shipped model) in memory.</summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class LivePipelineTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private RedisTestDatabase _redis = null!;
    private ResultsDatabase _results = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisTestDatabase.CreateAsync(infrastructure);
        _results = await ResultsDatabase.CreateAsync(infrastructure);
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Stored_messages_reach_a_feed_client_as_summaries_without_their_text()
    {
        await using var worker = new WorkerApplication(_redis.ConnectionString, _results.ConnectionString).Start();
        await using var dashboard = await new DashboardApplication(_redis.ConnectionString, _results.ConnectionString).StartLiveAsync();
        var feed = new FeedRecorder();
        await dashboard.ConnectFeedAsync(feed.Attach);
        var announced = new ConcurrentQueue<string>();
        var channel = await _redis.Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(StreamNames.Results));
        channel.OnMessage(message => announced.Enqueue(message.Message!));
        var messages = Enumerable.Range(0, 20)
            .Select(i => new FeedbackMessage($"live-{i:D2}", DateTimeOffset.UtcNow, "web", $"Secret text {i}: the delivery was late again", null, DateTimeOffset.UtcNow))
            .ToList();

        await _redis.PublishAsync(messages);

        await Eventually.WaitForAsync(() => Task.FromResult(feed.ResultCount), n => n >= 20, Timeout, "20 results on the feed");
        Assert.Equal(20, feed.ResultCount);
        var summaries = feed.Updates.SelectMany(u => u.Update.Results).ToList();
        Assert.Equal(messages.Select(m => m.Id), summaries.Select(s => s.MessageId).Order(StringComparer.Ordinal));
        Assert.All(summaries, summary =>
        {
            Assert.Equal("web", summary.Source);
            Assert.Contains(summary.Label, Sentiment.Dashboard.Queries.SentimentFilter.Labels);
            Assert.InRange(summary.Score, -1, 1);
            Assert.False(string.IsNullOrEmpty(summary.Topic));
        });
        var fields = announced.SelectMany(json => JsonDocument.Parse(json).RootElement.GetProperty("results").EnumerateArray())
            .Select(result => string.Join(",", result.EnumerateObject().Select(p => p.Name)))
            .Distinct();
        Assert.Equal(["messageId,timestamp,source,label,score,topic,keywords,processedAt"], fields);
        Assert.DoesNotContain(announced, json => json.Contains("Secret", StringComparison.Ordinal));
        await channel.UnsubscribeAsync();
    }

    [Fact]
    public async Task A_worker_that_cannot_announce_still_stores_and_acknowledges_and_counts_the_failure()
    {
        // A Redis user allowed everything but PUBLISH: the announcement fails, every other step works.
        var user = $"no-publish-{Guid.NewGuid():N}";
        const string Password = "no-publish-password";
        await _redis.Database.ExecuteAsync("ACL", "SETUSER", user, "on", $">{Password}", "~*", "&*", "+@all", "-publish");
        var options = ConfigurationOptions.Parse(_redis.ConnectionString);
        options.User = user;
        options.Password = Password;
        var failures = 0L;
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "sentiment.worker.results.publish_failures")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref failures, value));
        meters.Start();
        try
        {
            await using var worker = new WorkerApplication(options.ToString(includePassword: true), _results.ConnectionString).Start();

            await _redis.PublishAsync(Enumerable.Range(0, 10)
                .Select(i => new FeedbackMessage($"quiet-{i}", DateTimeOffset.UtcNow, "web", "fine", null, DateTimeOffset.UtcNow)));

            await Eventually.WaitForAsync(_results.CountAsync, n => n == 10, Timeout, "10 stored rows");
            await Eventually.WaitForAsync(_redis.IsDrainedAsync, drained => drained, Timeout, "every entry acknowledged");
            Assert.Empty(await _redis.DeadLetterEntriesAsync());
            Assert.True(Interlocked.Read(ref failures) > 0, "No failed announcement was counted.");
        }
        finally
        {
            await _redis.Database.ExecuteAsync("ACL", "DELUSER", user);
        }
    }
}
