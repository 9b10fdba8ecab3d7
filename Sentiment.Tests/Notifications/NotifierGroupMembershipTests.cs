using Microsoft.Extensions.Logging;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;

namespace Sentiment.Tests.Notifications;

/// <summary>A notifier's name in the notifiers' group outlives it only while it still holds alerts.</summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class NotifierGroupMembershipTests(InfrastructureFixture infrastructure)
{
    private const string Consumer = "Sentiment.Notifier.Delivery.AlertConsumer";

    [Fact]
    public async Task Notifier_stopped_cleanly_leaves_the_group()
    {
        await using var receiver = await RecordingHttpServer.StartAsync();
        await using var rig = await NotificationRig.StartAsync(infrastructure, new()
        {
            ["Notifications:Webhook:Url"] = new Uri(receiver.BaseAddress, "/hooks").ToString(),
            ["Notifications:Webhook:Secret"] = "s",
        });
        await rig.RaiseAsync(TestAlerts.NegativeSpike());
        await rig.WaitUntilDrainedAsync("the alert entry acknowledged");
        Assert.Equal(["notifier-1"], await rig.ConsumerNamesAsync());

        await rig.StopNotifierAsync(0);

        Assert.Empty(await rig.ConsumerNamesAsync());
        Assert.Contains(
            rig.Logs,
            log => log is { Level: LogLevel.Information, Category: Consumer, Message: "Consumer notifier-1 left group sentiment-notifiers" });
    }

    [Fact]
    public async Task Notifier_holding_a_pending_alert_stays_in_the_group()
    {
        var webhookPort = LoopbackPorts.GetFree(); // nothing listens there: every try fails and the alert stays in hand
        await using var rig = await NotificationRig.StartAsync(infrastructure, new()
        {
            ["Notifications:MaxAttempts"] = "100",
            ["Notifications:RetryBaseDelay"] = "00:00:00.020",
            ["Notifications:RetryMaxDelay"] = "00:00:00.100",
            ["Notifications:Webhook:Url"] = $"http://127.0.0.1:{webhookPort}/hooks",
            ["Notifications:Webhook:Secret"] = "s",
        });
        await rig.RaiseAsync(TestAlerts.NegativeSpike());
        await rig.WaitForAttemptsAsync(attempts => attempts.Count >= 1, "a failed webhook try");

        await rig.StopNotifierAsync(0);

        Assert.Equal(["notifier-1"], await rig.ConsumerNamesAsync());
        Assert.Equal(1, await rig.PendingCountAsync());
    }
}
