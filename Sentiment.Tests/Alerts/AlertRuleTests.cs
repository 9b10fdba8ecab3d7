using Sentiment.Contracts;
using Sentiment.Contracts.Alerts;
using Sentiment.Tests.Infrastructure;
using Sentiment.Worker.Alerts;

namespace Sentiment.Tests.Alerts;

[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AlertRuleTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Hundred_negatives_shared_by_two_workers_raise_no_spike_and_the_hundred_and_first_raises_one()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure);
        var first = await rig.NewWorkerAsync();
        var second = await rig.NewWorkerAsync();

        var hundred = await AlertRig.ShareAsync(first, second, AlertRig.Negatives("n", 100));
        var hundredAndFirst = await second.EvaluateAsync([AlertRig.Negative("n-100")], CancellationToken.None);

        Assert.Empty(hundred);
        var alert = Assert.Single(hundredAndFirst);
        Assert.Equal(AlertTypes.NegativeSpike, alert.Type);
        Assert.Equal(AlertSeverities.Critical, alert.Severity);
        Assert.Equal(["n-100"], alert.MessageIds);
        Assert.Equal("all", alert.RuleKey);
        Assert.Equal("twitter", alert.Source);
        Assert.Equal(-0.3, alert.Score, 6);
        Assert.Equal("Message n-100: the delivery was late again.", alert.Snippet);
        Assert.Equal("http://dashboard.test:5081/messages/n-100", alert.Link);
        Assert.Equal("101 negative messages in the last 60 minutes (threshold: more than 100).", alert.Reason);
        Assert.Equal(rig.Time.GetUtcNow(), alert.CreatedAt);
        Assert.Equal(AlertStatuses.Active, alert.Status);
        Assert.Equal(AlertEvaluator.AlertId(AlertTypes.NegativeSpike, "all", "n-100"), alert.Id);
    }

    [Fact]
    public async Task Spike_fires_exactly_once_when_two_workers_race_past_the_threshold()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure);
        var first = await rig.NewWorkerAsync();
        var second = await rig.NewWorkerAsync();

        var alerts = await AlertRig.ShareAsync(first, second, AlertRig.Negatives("race", 400), batchSize: 3);

        var alert = Assert.Single(alerts);
        Assert.Equal(AlertTypes.NegativeSpike, alert.Type);
        Assert.Equal("101 negative messages in the last 60 minutes (threshold: more than 100).", alert.Reason);
    }

    [Fact]
    public async Task Redelivered_negatives_are_not_counted_twice()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure);
        var first = await rig.NewWorkerAsync();
        var second = await rig.NewWorkerAsync();

        var delivered = await AlertRig.ShareAsync(first, second, AlertRig.Negatives("r", 100));
        var redelivered = await AlertRig.ShareAsync(second, first, AlertRig.Negatives("r", 100));
        var next = await first.EvaluateAsync([AlertRig.Negative("r-new")], CancellationToken.None);

        Assert.Empty(delivered);
        Assert.Empty(redelivered);
        Assert.Equal(["r-new"], Assert.Single(next).MessageIds);
    }

    [Fact]
    public async Task Redelivered_trigger_raises_the_same_alert_again_so_a_crash_before_storing_loses_nothing()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure);
        var first = await rig.NewWorkerAsync();
        var second = await rig.NewWorkerAsync();
        var fired = await AlertRig.RunAsync(first, AlertRig.Negatives("c", 101).Chunk(50));

        // The first worker died before storing the alert; the last batch (c-100) is taken over by the second.
        var retaken = await second.EvaluateAsync([AlertRig.Negative("c-100")], CancellationToken.None);
        var later = await second.EvaluateAsync([AlertRig.Negative("c-later")], CancellationToken.None);

        Assert.Equal(["c-100"], Assert.Single(fired).MessageIds);
        Assert.Equal(fired[0].Id, Assert.Single(retaken).Id);
        Assert.Empty(later);
    }

    [Fact]
    public async Task Cooldown_keeps_the_spike_silent_for_fifteen_minutes_then_it_fires_again()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure);
        var first = await rig.NewWorkerAsync();
        var second = await rig.NewWorkerAsync();

        var firing = await AlertRig.ShareAsync(first, second, AlertRig.Negatives("a", 101));
        rig.Time.Advance(TimeSpan.FromMinutes(14) + TimeSpan.FromSeconds(59));
        var withinCooldown = await AlertRig.ShareAsync(first, second, AlertRig.Negatives("b", 50));
        rig.Time.Advance(TimeSpan.FromSeconds(1));
        var afterCooldown = await AlertRig.ShareAsync(first, second, AlertRig.Negatives("c", 50));

        Assert.Single(firing);
        Assert.Empty(withinCooldown);
        var again = Assert.Single(afterCooldown);
        Assert.Equal("152 negative messages in the last 60 minutes (threshold: more than 100).", again.Reason);
    }

    [Fact]
    public async Task Negatives_older_than_the_window_slide_out_of_the_count()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure);
        var worker = await rig.NewWorkerAsync();

        await AlertRig.RunAsync(worker, AlertRig.Negatives("old", 60).Chunk(20));
        rig.Time.Advance(TimeSpan.FromMinutes(30));
        await AlertRig.RunAsync(worker, AlertRig.Negatives("mid", 40).Chunk(20));
        rig.Time.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromMilliseconds(1));
        var afterSlide = await AlertRig.RunAsync(worker, AlertRig.Negatives("new", 60).Chunk(20));
        var crossing = await worker.EvaluateAsync([AlertRig.Negative("new-last")], CancellationToken.None);

        Assert.Empty(afterSlide); // 160 negatives in all, but only the 40 "mid" and 60 "new" ones are in the last hour.
        Assert.Equal("101 negative messages in the last 60 minutes (threshold: more than 100).", Assert.Single(crossing).Reason);
    }

    [Fact]
    public async Task A_restarted_worker_carries_on_the_spike_count()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure);
        var before = await rig.NewWorkerAsync();
        var beforeRestart = await AlertRig.RunAsync(before, AlertRig.Negatives("x", 100).Chunk(10));
        await rig.StopWorkerAsync(0);

        var after = await rig.NewWorkerAsync();
        var afterRestart = await after.EvaluateAsync([AlertRig.Negative("x-100")], CancellationToken.None);

        Assert.Empty(beforeRestart);
        Assert.Equal(["x-100"], Assert.Single(afterRestart).MessageIds);
    }

    [Fact]
    public async Task Very_negative_fires_below_the_threshold_only_once_per_source_and_cooldown()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure);
        var first = await rig.NewWorkerAsync();
        var second = await rig.NewWorkerAsync();
        AlertCandidate Scored(string id, double score, string source = "review") =>
            new(id, source, null, SentimentLabel.Neutral, score, $"{id} text");

        var atThreshold = await first.EvaluateAsync([Scored("v-0", -0.5)], CancellationToken.None);
        var shared = await AlertRig.ShareAsync(first, second, Enumerable.Range(1, 20).Select(i => Scored($"v-{i}", -0.9)), batchSize: 2);
        var otherSource = await second.EvaluateAsync([Scored("w-1", -0.51, "survey")], CancellationToken.None);

        Assert.Empty(atThreshold);
        var alert = Assert.Single(shared);
        Assert.Equal(AlertTypes.VeryNegative, alert.Type);
        Assert.Equal("review", alert.RuleKey);
        Assert.Equal(-0.9, alert.Score, 6);
        Assert.Equal("Score -0.900 is below -0.500.", alert.Reason);
        Assert.Equal("w-1", Assert.Single(otherSource).MessageIds.Single());
    }

    [Fact]
    public async Task Two_negatives_from_a_user_raise_nothing_and_the_third_raises_one_with_all_three_ids()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure);
        var first = await rig.NewWorkerAsync();
        var second = await rig.NewWorkerAsync();

        var two = await AlertRig.ShareAsync(first, second, [AlertRig.Negative("u-1", userId: "user123"), AlertRig.Negative("u-2", userId: "user123")], batchSize: 1);
        var otherSource = await first.EvaluateAsync([AlertRig.Negative("u-x", source: "review", userId: "user123")], CancellationToken.None);
        var third = await second.EvaluateAsync([AlertRig.Negative("u-3", userId: "user123")], CancellationToken.None);

        Assert.Empty(two);
        Assert.Empty(otherSource); // Per source: user123 on review is someone else's account.
        var alert = Assert.Single(third);
        Assert.Equal(AlertTypes.RepeatedNegatives, alert.Type);
        Assert.Equal("twitter:user123", alert.RuleKey);
        Assert.Equal(["u-3", "u-1", "u-2"], alert.MessageIds);
        Assert.Equal("3 negative messages from user user123 of twitter within 24 hours (threshold 3).", alert.Reason);
    }

    [Fact]
    public async Task Repeated_negatives_fire_once_when_two_workers_share_a_users_messages()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure);
        var first = await rig.NewWorkerAsync();
        var second = await rig.NewWorkerAsync();

        var alerts = await AlertRig.ShareAsync(
            first, second, Enumerable.Range(0, 12).Select(i => AlertRig.Negative($"p-{i}", userId: "42")), batchSize: 1);
        rig.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMilliseconds(1));
        var twoAfterWindow = await AlertRig.ShareAsync(first, second, [AlertRig.Negative("q-1", userId: "42"), AlertRig.Negative("q-2", userId: "42")], batchSize: 1);

        Assert.Equal(AlertTypes.RepeatedNegatives, Assert.Single(alerts).Type);
        Assert.Empty(twoAfterWindow);
    }

    [Fact]
    public async Task Relative_rule_fires_when_the_hour_is_three_sigma_above_the_trailing_day()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure, options =>
        {
            options.SpikeThreshold = 10_000;
            options.RelativeSpikeEnabled = true;
            options.RelativeSpikeMinCount = 20;
        });
        var worker = await rig.NewWorkerAsync();
        var history = new List<Alert>();
        for (var hour = 0; hour < 24; hour++)
        {
            // 8, 12, 8, 12, ...: mean 10, σ 2, so the rule needs more than 16 negatives in the last hour (and 20).
            history.AddRange(await AlertRig.RunAsync(worker, AlertRig.Negatives($"h{hour}", hour % 2 == 0 ? 8 : 12).Chunk(4)));
            // A second over the hour, so each hour's negatives have left the sliding window before the next.
            rig.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        }

        var nineteen = await AlertRig.RunAsync(worker, AlertRig.Negatives("now", 19).Chunk(5));
        var twentieth = await worker.EvaluateAsync([AlertRig.Negative("now-19")], CancellationToken.None);

        Assert.Empty(history);
        Assert.Empty(nineteen);
        var alert = Assert.Single(twentieth);
        Assert.Equal(AlertTypes.NegativeSpike, alert.Type);
        Assert.Equal(
            "20 negative messages in the last 60 minutes, more than 3 σ above the trailing 24-hour hourly mean 10 (σ 2).",
            alert.Reason);
    }

    [Fact]
    public void Snippet_keeps_at_most_200_characters_without_splitting_a_surrogate_pair()
    {
        var text = new string('a', 199) + "😀" + "tail";

        Assert.Equal(new string('a', 199), AlertEvaluator.Snippet(text));
        Assert.Equal(200, AlertEvaluator.Snippet(new string('b', 300)).Length);
        Assert.Equal("short", AlertEvaluator.Snippet("short"));
    }
}
