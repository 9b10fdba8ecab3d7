using Sentiment.AppHost.Infrastructure;
using Sentiment.Core.Alerts;
using Sentiment.Core.Messaging;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;

namespace Sentiment.Tests.Notifications;

/// <summary>
/// Notifications read through the consumer group on <c>sentiment:alerts</c>: they survive a stopped worker, spread
/// across replicas, and reach each channel once per alert however often the alert is delivered to a notifier.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class DurableDeliveryTests(InfrastructureFixture infrastructure)
{
    // Many tries, quickly: a channel that is down keeps failing until the test brings it up.
    private static readonly Dictionary<string, string?> PatientRetries = new()
    {
        ["Notifications:MaxAttempts"] = "100",
        ["Notifications:RetryBaseDelay"] = "00:00:00.020",
        ["Notifications:RetryMaxDelay"] = "00:00:00.100",
    };

    [Fact]
    public async Task Alert_a_stopped_worker_left_undelivered_is_delivered_by_another_once_the_channel_is_back_and_not_resent_where_it_was_delivered()
    {
        var webhookPort = LoopbackPorts.GetFree(); // nothing listens there yet: the receiver is down
        await using var slack = await RecordingHttpServer.StartAsync();
        await using var rig = await NotificationRig.StartAsync(infrastructure, new(PatientRetries)
        {
            ["Notifications:Slack:WebhookUrl"] = new Uri(slack.BaseAddress, "/services/x").ToString(),
            ["Notifications:Webhook:Url"] = $"http://127.0.0.1:{webhookPort}/hooks",
            ["Notifications:Webhook:Secret"] = "s",
        });
        var alert = TestAlerts.NegativeSpike();

        await rig.RaiseAsync(alert);
        await rig.WaitForAttemptsAsync(
            a => a.Any(x => x.Channel == "slack") && a.Count(x => x.Channel == "webhook") >= 2,
            "Slack delivered and two failed webhook tries");
        await rig.StopNotifierAsync(0);
        var triesBeforeStop = (await rig.AttemptsAsync()).Count(a => a.Channel == "webhook");
        Assert.Equal(1, await rig.PendingCountAsync());

        await using var webhook = await RecordingHttpServer.StartAsync(webhookPort);
        await rig.StartNotifierAsync("notifier-2");
        await rig.WaitUntilDrainedAsync("the alert entry acknowledged by the second notifier");

        var attempts = await rig.AttemptsAsync();
        Assert.Equal([new RecordedAttempt(alert.Id, "slack", 1, NotificationOutcomes.Delivered, null)], attempts.Where(a => a.Channel == "slack"));
        var webhookAttempts = attempts.Where(a => a.Channel == "webhook").ToList();
        Assert.Equal(Enumerable.Range(1, triesBeforeStop + 1), webhookAttempts.Select(a => a.Attempt));
        Assert.All(webhookAttempts[..^1], a => Assert.Equal(NotificationOutcomes.Failed, a.Outcome));
        Assert.Equal(new RecordedAttempt(alert.Id, "webhook", triesBeforeStop + 1, NotificationOutcomes.Delivered, null), webhookAttempts[^1]);
        Assert.Equal(
            [
                new RecordedDelivery(alert.Id, "slack", NotificationOutcomes.Delivered, 1),
                new RecordedDelivery(alert.Id, "webhook", NotificationOutcomes.Delivered, triesBeforeStop + 1),
            ],
            await rig.DeliveriesAsync());
        Assert.Single(slack.Requests);
        Assert.Equal(alert.Id.ToString(), Assert.Single(webhook.Requests).Headers["X-Sentiment-Alert-Id"]);
    }

    [Fact]
    public async Task Worker_restarted_under_its_name_resumes_its_pending_alert_at_once()
    {
        var webhookPort = LoopbackPorts.GetFree();
        // Taking over from another consumer would need an hour idle: only resuming its own pending list can deliver.
        await using var rig = await NotificationRig.StartAsync(infrastructure, new(PatientRetries)
        {
            ["Notifications:ClaimMinIdle"] = "01:00:00",
            ["Notifications:Webhook:Url"] = $"http://127.0.0.1:{webhookPort}/hooks",
            ["Notifications:Webhook:Secret"] = "s",
        });
        var alert = TestAlerts.NegativeSpike();

        await rig.RaiseAsync(alert);
        await rig.WaitForAttemptsAsync(a => a.Count >= 1, "a failed webhook try");
        await rig.StopNotifierAsync(0);
        await using var webhook = await RecordingHttpServer.StartAsync(webhookPort);
        await rig.StartNotifierAsync("notifier-1");
        await rig.WaitUntilDrainedAsync("the alert entry acknowledged after the restart");

        Assert.Equal(alert.Id.ToString(), Assert.Single(webhook.Requests).Headers["X-Sentiment-Alert-Id"]);
        Assert.Equal([new RecordedDelivery(alert.Id, "webhook", NotificationOutcomes.Delivered, (await rig.AttemptsAsync()).Count)], await rig.DeliveriesAsync());
    }

    [Fact]
    public async Task Alert_delivered_to_the_notifiers_twice_is_sent_once_per_channel()
    {
        await using var slack = await RecordingHttpServer.StartAsync();
        await using var receiver = await RecordingHttpServer.StartAsync();
        await using var rig = await NotificationRig.StartAsync(infrastructure, new()
        {
            ["Notifications:Slack:WebhookUrl"] = new Uri(slack.BaseAddress, "/services/x").ToString(),
            ["Notifications:Webhook:Url"] = new Uri(receiver.BaseAddress, "/hooks").ToString(),
            ["Notifications:Webhook:Secret"] = "s",
        });
        var alert = TestAlerts.NegativeSpike();

        await rig.RaiseAsync(alert);
        await rig.WaitUntilDrainedAsync("the alert entry acknowledged");
        // The same alert again, as a notifier sees it when its entry is redelivered after its channels finished.
        await rig.Redis.Database.StreamAddAsync(StreamNames.Alerts, AlertStreamEntry.ToFields(alert));
        await rig.WaitUntilDrainedAsync("the second entry acknowledged");

        Assert.Equal(
            [
                new RecordedAttempt(alert.Id, "slack", 1, NotificationOutcomes.Delivered, null),
                new RecordedAttempt(alert.Id, "webhook", 1, NotificationOutcomes.Delivered, null),
            ],
            (await rig.AttemptsAsync()).OrderBy(a => a.Channel, StringComparer.Ordinal));
        Assert.Single(slack.Requests);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Two_notifiers_sharing_the_group_send_each_alert_once()
    {
        await using var receiver = await RecordingHttpServer.StartAsync();
        await using var rig = await NotificationRig.StartAsync(infrastructure, new()
        {
            ["Notifications:Webhook:Url"] = new Uri(receiver.BaseAddress, "/hooks").ToString(),
            ["Notifications:Webhook:Secret"] = "s",
        });
        await rig.StartNotifierAsync("notifier-2");
        var alerts = Enumerable.Range(1, 20).Select(i => TestAlerts.NegativeSpike($"m-{i}")).ToList();

        foreach (var alert in alerts)
        {
            await rig.RaiseAsync(alert);
        }

        await rig.WaitUntilDrainedAsync("all twenty alert entries acknowledged");

        var attempts = await rig.AttemptsAsync();
        Assert.Equal(alerts.Select(a => a.Id).Order(), attempts.Select(a => a.AlertId).Order());
        Assert.All(attempts, a => Assert.Equal((1, NotificationOutcomes.Delivered), (a.Attempt, a.Outcome)));
        Assert.Equal(alerts.Select(a => a.Id.ToString()).Order(), receiver.Requests.Select(r => r.Headers["X-Sentiment-Alert-Id"]).Order());
    }

    [Fact]
    public async Task Retries_outlasting_the_claim_idle_time_are_not_taken_over_by_a_live_replica()
    {
        await using var receiver = await RecordingHttpServer.StartAsync();
        receiver.AnswerWith([.. Enumerable.Repeat(503, 12)]);
        // Twelve failures at 100 ms apart last over a second: three times the idle time after which a replica takes an
        // alert over, were the first notifier not keeping it.
        await using var rig = await NotificationRig.StartAsync(infrastructure, new()
        {
            ["Notifications:MaxAttempts"] = "20",
            ["Notifications:RetryBaseDelay"] = "00:00:00.100",
            ["Notifications:RetryMaxDelay"] = "00:00:00.100",
            ["Notifications:ClaimMinIdle"] = "00:00:00.400",
            ["Notifications:ClaimInterval"] = "00:00:00.050",
            ["Notifications:Webhook:Url"] = new Uri(receiver.BaseAddress, "/hooks").ToString(),
            ["Notifications:Webhook:Secret"] = "s",
        });
        await rig.StartNotifierAsync("notifier-2");
        var alert = TestAlerts.NegativeSpike();

        await rig.RaiseAsync(alert);
        await rig.WaitUntilDrainedAsync("the alert entry acknowledged after its retries");

        var attempts = await rig.AttemptsAsync();
        Assert.Equal(Enumerable.Range(1, 13), attempts.Select(a => a.Attempt));
        Assert.Equal(NotificationOutcomes.Delivered, attempts[^1].Outcome);
        Assert.Equal(13, receiver.Requests.Count);
    }
}
