using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Sentiment.Contracts.Alerts;
using Sentiment.Contracts.Messaging;
using Sentiment.Dashboard.Hubs;
using Sentiment.Dashboard.Live;
using Sentiment.Dashboard.Queries;
using Sentiment.Dashboard.Telemetry;
using Sentiment.Tests.Dashboard.Support;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;
using Sentiment.Tests.Worker.Support;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Sentiment.Tests.Dashboard;

[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HubFeedTests(InfrastructureFixture infrastructure, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private RedisTestDatabase _redis = null!;
    private DashboardDatabase _database = null!;
    private DashboardApplication _dashboard = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisTestDatabase.CreateAsync(infrastructure);
        _database = await DashboardDatabase.CreateAsync(infrastructure);
        _dashboard = await new DashboardApplication(_redis.ConnectionString, _database.ConnectionString).StartLiveAsync();
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_client_gets_at_most_4_updates_a_second_that_account_for_every_result()
    {
        var feed = new FeedRecorder();
        await _dashboard.ConnectFeedAsync(feed.Attach);
        await WaitForSubscribersAsync(1);

        // 2,000 results as 200 worker batches of 10, sent as fast as Redis takes them, then 2,000 more over about
        // 2 s (100 batches of 20, one every 20 ms) so the feed is busy for several update intervals.
        var labels = new[] { "positive", "neutral", "negative" };
        var published = new long[3];
        var subscriber = _redis.Connection.GetSubscriber();
        var burst = new List<Task>();
        for (var b = 0; b < 200; b++)
        {
            burst.Add(subscriber.PublishAsync(RedisChannel.Literal(StreamNames.Results), Batch($"burst{b}", 10, labels, published)));
        }

        await Task.WhenAll(burst);
        for (var b = 0; b < 100; b++)
        {
            await subscriber.PublishAsync(RedisChannel.Literal(StreamNames.Results), Batch($"steady{b}", 20, labels, published));
            await Task.Delay(20);
        }

        await Eventually.WaitForAsync(() => Task.FromResult(feed.ResultCount), total => total >= 4_000, Timeout, "updates counting all 4,000 results");
        var updates = feed.Updates.ToList();
        var span = updates[^1].ReceivedAt - updates[0].ReceivedAt;
        output.WriteLine($"{updates.Count} updates over {span.TotalMilliseconds:F0} ms for 4,000 results; the most in any second (server time): {MostInOneSecond(updates.Select(u => u.Update.At).ToList())}");

        Assert.Equal(4_000, feed.ResultCount);
        Assert.Equal(
            new LabelCounts(published[0], published[1], published[2]),
            updates.Select(u => u.Update.ByLabel).Aggregate(LabelCounts.Zero, (sum, c) => sum.Add(c)));
        // Each update is stamped when it is assembled: any five span at least a second.
        for (var i = 4; i < updates.Count; i++)
        {
            var fiveSpan = updates[i].Update.At - updates[i - 4].Update.At;
            Assert.True(fiveSpan >= TimeSpan.FromSeconds(1), $"Updates {i - 4} to {i} were sent within {fiveSpan.TotalMilliseconds} ms.");
        }

        // And as the client saw them: no more than 4 a second over the run, plus the first.
        // (Rounded up: the client's clock sees the sends a little bunched or spread by the network.)
        Assert.InRange(updates.Count, 2, (int)Math.Ceiling(span.TotalSeconds * 4) + 1);
        Assert.All(updates, u => Assert.True(u.Update.Results.Count <= LiveUpdates.MaxResultsPerBatch));
    }

    [Fact]
    public async Task An_alert_on_the_stream_reaches_clients_in_a_span_of_its_own_trace()
    {
        var feed = new FeedRecorder();
        await _dashboard.ConnectFeedAsync(feed.Attach);
        await WaitForSubscribersAsync(1);
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DashboardTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var alert = TestAlerts.VeryNegative("m1", DateTimeOffset.UtcNow);
        var traceId = ActivityTraceId.CreateRandom();
        var parentSpanId = ActivitySpanId.CreateRandom();

        await _redis.Database.StreamAddAsync(StreamNames.Alerts,
            [.. AlertStreamEntry.ToFields(alert), new NameValueEntry("traceparent", $"00-{traceId}-{parentSpanId}-01")]);

        var received = await Eventually.WaitForAsync(
            () => Task.FromResult(feed.Updates.SelectMany(u => u.Update.Alerts).ToList()), alerts => alerts.Count > 0, Timeout, "the alert on the feed");
        Assert.Equal([alert.Id], received.Select(a => a.Id));
        Assert.Equal(alert.Reason, received[0].Reason);
        var span = await Eventually.WaitForAsync(
            () => Task.FromResult(FindSpan(spans, alert.Id)), found => found is not null, Timeout, "the push span of the alert");
        Assert.Equal(traceId, span!.TraceId);
        Assert.Equal(parentSpanId, span.ParentSpanId);
        Assert.Equal(ActivityKind.Producer, span.Kind);
        Assert.Equal($"send {SentimentHub.Path}", span.DisplayName);
    }

    [Fact]
    public async Task Alerts_already_on_the_stream_before_start_are_not_pushed_again()
    {
        // Raised before this instance started: the feed starts at the stream's last entry, as XREAD $ would.
        await using var late = new DashboardApplication(_redis.ConnectionString, _database.ConnectionString);
        var old = TestAlerts.VeryNegative("m-old", DateTimeOffset.UtcNow);
        await _redis.Database.StreamAddAsync(StreamNames.Alerts, AlertStreamEntry.ToFields(old));
        await late.StartLiveAsync();
        var feed = new FeedRecorder();
        await late.ConnectFeedAsync(feed.Attach);
        var fresh = TestAlerts.VeryNegative("m-new", DateTimeOffset.UtcNow);

        await _redis.Database.StreamAddAsync(StreamNames.Alerts, AlertStreamEntry.ToFields(fresh));

        var received = await Eventually.WaitForAsync(
            () => Task.FromResult(feed.Updates.SelectMany(u => u.Update.Alerts).ToList()), alerts => alerts.Count > 0, Timeout, "the new alert");
        Assert.Equal([fresh.Id], received.Select(a => a.Id));
    }

    private static Activity? FindSpan(List<Activity> spans, Guid alertId)
    {
        lock (spans)
        {
            return spans.FirstOrDefault(s => (string?)s.GetTagItem("sentiment.alert.id") == alertId.ToString());
        }
    }

    private async Task WaitForSubscribersAsync(int count) =>
        await Eventually.WaitForAsync(
            () => Task.FromResult(_dashboard.Services.GetRequiredService<HubFeed>().ConnectionCount), n => n == count, Timeout, $"{count} hub connections");

    private static string Batch(string prefix, int size, string[] labels, long[] published)
    {
        var results = new ResultSummary[size];
        for (var i = 0; i < size; i++)
        {
            var label = (prefix.Length + i) % 3;
            published[label]++;
            results[i] = new ResultSummary($"{prefix}-{i}", DateTimeOffset.UtcNow, "web", labels[label], label == 0 ? 0.5 : label == 1 ? 0 : -0.5,
                "general", ["word"], DateTimeOffset.UtcNow);
        }

        return ResultSummaryBatch.Serialize(results);
    }

    private static int MostInOneSecond(List<DateTimeOffset> times) =>
        times.Select((start, i) => times.Skip(i).TakeWhile(t => t - start < TimeSpan.FromSeconds(1)).Count()).DefaultIfEmpty().Max();
}
