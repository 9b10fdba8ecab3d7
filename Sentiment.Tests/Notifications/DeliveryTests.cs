using Sentiment.Contracts.Alerts;
using Sentiment.Storage;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Notifications;

/// <summary>Retries, recorded attempts, and channels that fail or hang without holding up the others.</summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DeliveryTests(InfrastructureFixture infrastructure)
{
    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["Notifications:MaxAttempts"] = "4",
        ["Notifications:RetryBaseDelay"] = "00:00:00.010",
        ["Notifications:RetryMaxDelay"] = "00:00:00.050",
    };

    [Fact]
    public async Task Failed_tries_are_retried_and_each_is_recorded_without_the_webhook_secret()
    {
        await using var slack = await RecordingHttpServer.StartAsync();
        slack.AnswerWith(500, 503);
        await using var rig = await NotificationRig.StartAsync(infrastructure, new(FastRetries)
        {
            ["Notifications:Slack:WebhookUrl"] = new Uri(slack.BaseAddress, "/services/T000/B000/secretpart").ToString(),
        });
        var alert = TestAlerts.NegativeSpike();

        await rig.RaiseAsync(alert);
        var attempts = await rig.WaitForAttemptsAsync(a => a.Count >= 3, "three Slack attempts recorded");

        Assert.Equal(
            [
                new RecordedAttempt(alert.Id, "slack", 1, NotificationOutcomes.Failed, "HTTP 500 Internal Server Error: failing on purpose"),
                new RecordedAttempt(alert.Id, "slack", 2, NotificationOutcomes.Failed, "HTTP 503 Service Unavailable: failing on purpose"),
                new RecordedAttempt(alert.Id, "slack", 3, NotificationOutcomes.Delivered, null),
            ],
            attempts);
        Assert.Equal(3, slack.Requests.Count);
        Assert.Single(slack.Requests.Select(request => request.BodyText).Distinct());
    }

    [Fact]
    public async Task Logs_at_every_level_never_show_the_slack_webhook_path()
    {
        await using var slack = await RecordingHttpServer.StartAsync();
        slack.AnswerWith(500);
        await using var rig = await NotificationRig.StartAsync(infrastructure, new(FastRetries)
        {
            ["Notifications:Slack:WebhookUrl"] = new Uri(slack.BaseAddress, "/services/T000/B000/secretpart").ToString(),
        });

        await rig.RaiseAsync(TestAlerts.NegativeSpike());
        await rig.WaitUntilDrainedAsync("the Slack notification delivered on its second try");

        Assert.Contains(rig.Logs, log => log.Message.Contains("attempt 1 of 4 failed", StringComparison.Ordinal));
        Assert.DoesNotContain(rig.Logs, log => log.AllText.Contains("secretpart", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rejected_payload_is_not_retried_and_a_channel_that_keeps_failing_gives_up_after_max_attempts()
    {
        await using var receiver = await RecordingHttpServer.StartAsync();
        receiver.AnswerWith(400);
        receiver.DefaultStatus = 500;
        await using var rig = await NotificationRig.StartAsync(infrastructure, new(FastRetries)
        {
            ["Notifications:Webhook:Url"] = new Uri(receiver.BaseAddress, "/hooks").ToString(),
            ["Notifications:Webhook:Secret"] = "s",
        });
        var rejected = TestAlerts.NegativeSpike("rejected");
        var failing = TestAlerts.NegativeSpike("failing");

        await rig.RaiseAsync(rejected);
        await rig.RaiseAsync(failing);
        // One channel sends in order, so once the second alert has used its four tries the first is finished too.
        var attempts = await rig.WaitForAttemptsAsync(a => a.Count(x => x.AlertId == failing.Id) >= 4, "four tries of the second alert");

        Assert.Equal([new RecordedAttempt(rejected.Id, "webhook", 1, NotificationOutcomes.Failed, "HTTP 400 Bad Request: failing on purpose")],
            attempts.Where(a => a.AlertId == rejected.Id));
        Assert.Equal([1, 2, 3, 4], attempts.Where(a => a.AlertId == failing.Id).Select(a => a.Attempt));
        Assert.All(attempts.Where(a => a.AlertId == failing.Id), a => Assert.Equal(NotificationOutcomes.Failed, a.Outcome));
        Assert.Equal(5, receiver.Requests.Count);
    }

    [Fact]
    public async Task A_hanging_channel_holds_up_neither_the_other_channels_nor_the_caller()
    {
        await using var slack = await RecordingHttpServer.StartAsync();
        slack.Hang = true;
        await using var receiver = await RecordingHttpServer.StartAsync();
        await using var rig = await NotificationRig.StartAsync(infrastructure, new()
        {
            ["Notifications:Slack:WebhookUrl"] = new Uri(slack.BaseAddress, "/services/x").ToString(),
            ["Notifications:Webhook:Url"] = new Uri(receiver.BaseAddress, "/hooks").ToString(),
            ["Notifications:Webhook:Secret"] = "s",
        });
        Alert[] alerts = [TestAlerts.NegativeSpike("h-1"), TestAlerts.NegativeSpike("h-2"), TestAlerts.NegativeSpike("h-3")];

        foreach (var alert in alerts)
        {
            await rig.RaiseAsync(alert);
        }

        var attempts = await rig.WaitForAttemptsAsync(a => a.Count(x => x.Channel == "webhook") >= 3, "three webhook deliveries");

        Assert.Equal(["slack", "webhook"], rig.Dispatcher.ChannelNames);
        Assert.Equal(alerts.Select(a => a.Id), attempts.Where(a => a.Channel == "webhook" && a.Outcome == NotificationOutcomes.Delivered).Select(a => a.AlertId));
        Assert.DoesNotContain(attempts, a => a.Channel == "slack");
        // The channels send side by side, so the Slack try may reach its server after the webhook's three; then it
        // hangs there, and the other two alerts queue behind it.
        await Eventually.WaitForAsync(() => Task.FromResult(slack.Requests.Count), count => count >= 1, TimeSpan.FromSeconds(30), "the first Slack try");
        Assert.Single(slack.Requests);
    }
}
