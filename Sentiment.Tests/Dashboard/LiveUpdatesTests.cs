using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sentiment.Contracts.Messaging;
using Sentiment.Dashboard.Hubs;
using Sentiment.Dashboard.Live;
using Sentiment.Dashboard.Queries;
using Sentiment.Tests.Support;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Dashboard;

public sealed class LiveUpdatesTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly LiveUpdates _live = new(Options.Create(new LiveOptions()), TimeProvider.System, NullLogger<LiveUpdates>.Instance);

    public void Dispose() => _live.Dispose();

    [Fact]
    public async Task A_subscriber_gets_every_result_alert_and_acknowledgement_counted_once()
    {
        var batches = new ConcurrentQueue<LiveBatch>();
        using var subscription = _live.Subscribe(batch =>
        {
            batches.Enqueue(batch);
            return Task.CompletedTask;
        });
        var alert = DashboardAlert();
        var acknowledgement = new AlertAcknowledgement(Guid.NewGuid(), DateTimeOffset.UtcNow);

        _live.AddResults([Result("a", "positive", 0.5), Result("b", "negative", -0.7)]);
        _live.AddAlert(new LiveAlert(alert, default));
        _live.AddResults([Result("c", "positive", 0.9)]);
        _live.AddAcknowledgement(acknowledgement);

        await Eventually.WaitForAsync(
            () => Task.FromResult(batches.Sum(b => b.AcknowledgedAlerts.Count)), count => count == 1, Timeout, "the acknowledgement");
        Assert.Equal(3, batches.Sum(b => b.ResultCount));
        Assert.Equal(new LabelCounts(2, 0, 1), batches.Select(b => b.ByLabel).Aggregate(LabelCounts.Zero, (sum, c) => sum.Add(c)));
        Assert.Equal(0.7, batches.Sum(b => b.ScoreSum), 9);
        Assert.Equal(["a", "b", "c"], batches.SelectMany(b => b.Results).Select(r => r.MessageId));
        Assert.Equal([alert.Id], batches.SelectMany(b => b.NewAlerts).Select(a => a.Alert.Id));
        Assert.Equal([acknowledgement], batches.SelectMany(b => b.AcknowledgedAlerts));
    }

    [Fact]
    public async Task Batches_to_a_subscriber_are_at_least_the_interval_apart_and_list_at_most_the_cap()
    {
        var batches = new ConcurrentQueue<LiveBatch>();
        using var subscription = _live.Subscribe(batch =>
        {
            batches.Enqueue(batch);
            return Task.CompletedTask;
        });

        // 6,000 results over about 1.5 s: far more than a batch lists, far faster than batches go out.
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 30; i++)
        {
            _live.AddResults([.. Enumerable.Range(0, 200).Select(j => Result($"m{i}-{j}", "neutral", 0))]);
            await Task.Delay(50);
        }

        await Eventually.WaitForAsync(
            () => Task.FromResult(batches.Sum(b => b.ResultCount)), total => total == 6_000, Timeout, "all 6,000 results in batches");
        var list = batches.ToList();
        Assert.All(list, batch => Assert.Equal(Math.Min(batch.ResultCount, LiveUpdates.MaxResultsPerBatch), batch.Results.Count));
        for (var i = 1; i < list.Count; i++)
        {
            Assert.True(list[i].At - list[i - 1].At >= new LiveOptions().MinBatchInterval, $"Batches {i - 1} and {i} came {(list[i].At - list[i - 1].At).TotalMilliseconds} ms apart.");
        }

        Assert.InRange(list.Count, 2, (int)(clock.Elapsed.TotalSeconds * 4) + 1);
    }

    [Fact]
    public async Task A_burst_is_listed_as_its_newest_results_up_to_the_cap_both_in_the_batch_and_in_the_hub_update()
    {
        var batches = new ConcurrentQueue<LiveBatch>();
        using var subscription = _live.Subscribe(batch =>
        {
            batches.Enqueue(batch);
            return Task.CompletedTask;
        });
        var burst = Enumerable.Range(0, 150).Select(i => Result($"r{i:D3}", "neutral", 0)).ToList();
        // The cap hub clients are promised (docs/dashboard.md): the newest 100.
        var newest = burst.Skip(50).Select(r => r.MessageId).ToList();

        // One call: the burst lands in one batch.
        _live.AddResults(burst);

        await Eventually.WaitForAsync(() => Task.FromResult(batches.Count), count => count == 1, Timeout, "the batch of the burst");
        var batch = Assert.Single(batches);
        Assert.Equal(burst.Count, batch.ResultCount);
        Assert.Equal(newest, batch.Results.Select(r => r.MessageId));
        Assert.Equal(newest, LiveUpdate.From(batch).Results.Select(r => r.MessageId));
    }

    [Fact]
    public async Task A_slow_subscriber_holds_up_no_other_and_one_that_throws_stays_subscribed()
    {
        var stuck = new TaskCompletionSource();
        using var slow = _live.Subscribe(_ => stuck.Task);
        var failures = 0;
        using var failing = _live.Subscribe(_ =>
        {
            Interlocked.Increment(ref failures);
            throw new InvalidOperationException("A broken view.");
        });
        var received = 0L;
        using var healthy = _live.Subscribe(batch =>
        {
            Interlocked.Add(ref received, batch.ResultCount);
            return Task.CompletedTask;
        });

        _live.AddResults([Result("a", "neutral", 0)]);
        await Eventually.WaitForAsync(() => Task.FromResult(Interlocked.Read(ref received)), n => n == 1, Timeout, "the first result");
        _live.AddResults([Result("b", "neutral", 0)]);

        await Eventually.WaitForAsync(() => Task.FromResult(Interlocked.Read(ref received)), n => n == 2, Timeout, "the second result while one subscriber is stuck");
        await Eventually.WaitForAsync(() => Task.FromResult(Volatile.Read(ref failures)), n => n == 2, Timeout, "both batches to the failing subscriber");
        stuck.SetResult();
    }

    [Fact]
    public void A_disposed_subscription_is_removed()
    {
        var subscription = _live.Subscribe(_ => Task.CompletedTask);
        Assert.Equal(1, _live.SubscriberCount);

        subscription.Dispose();

        Assert.Equal(0, _live.SubscriberCount);
    }

    internal static ResultSummary Result(string id, string label, double score) =>
        new(id, DateTimeOffset.UtcNow, "web", label, score, "general", ["word"], DateTimeOffset.UtcNow);

    private static Sentiment.Contracts.Alerts.Alert DashboardAlert() => TestAlerts.VeryNegative("m1", DateTimeOffset.UtcNow);
}
