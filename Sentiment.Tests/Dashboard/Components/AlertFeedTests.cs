using Bunit;
using Sentiment.Contracts.Alerts;
using Sentiment.Dashboard.Components.Overview;
using Sentiment.Tests.Support;

namespace Sentiment.Tests.Dashboard.Components;

public sealed class AlertFeedTests : ComponentTestContext
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Alerts_are_listed_in_the_order_given_newest_first()
    {
        var feed = Render<AlertFeed>(parameters => parameters.Add(p => p.Alerts, [
            TestAlerts.VeryNegative("b", Noon.AddMinutes(5)),
            TestAlerts.VeryNegative("a", Noon),
        ]));

        Assert.Equal(
            ["2026-11-24 12:05:00 UTC", "2026-11-24 12:00:00 UTC"],
            feed.FindAll("ol.alert-feed > li time").Select(time => time.TextContent));
        Assert.Equal("2026-11-24T12:05:00Z", feed.Find("ol.alert-feed > li time").GetAttribute("datetime"));
    }

    [Fact]
    public void An_alert_shows_its_kind_snippet_reason_and_links_to_its_message()
    {
        var feed = Render<AlertFeed>(parameters => parameters.Add(p => p.Alerts, [
            TestAlerts.VeryNegative("msg/1", Noon, source: "twitter", severity: AlertSeverities.Critical, score: -0.95, snippet: "Worst service ever"),
        ]));

        var item = feed.Find("ol.alert-feed > li");
        Assert.Equal("Critical", item.QuerySelector(".badge")!.TextContent);
        Assert.Equal("Very negative message", item.QuerySelector("strong")!.TextContent);
        Assert.Equal("“Worst service ever”", item.QuerySelector(".snippet")!.TextContent);
        Assert.Equal("Score -0.950 is below -0.500. · source twitter", item.QuerySelector("p.muted")!.TextContent);
        Assert.Equal("messages/msg%2F1", item.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public void Acknowledge_button_passes_its_alert_to_the_callback()
    {
        Alert? acknowledged = null;
        var alert = TestAlerts.VeryNegative("m1", Noon, source: "twitter");
        var feed = Render<AlertFeed>(parameters => parameters
            .Add(p => p.Alerts, [alert])
            .Add(p => p.CanAcknowledge, true)
            .Add(p => p.OnAcknowledge, (Alert chosen) => acknowledged = chosen));

        var button = feed.Find("button");
        Assert.Equal("Acknowledge", button.TextContent);
        Assert.Equal("Acknowledge alert: Very negative message from twitter at 2026-11-24 12:00:00 UTC", button.GetAttribute("aria-label"));
        button.Click();

        Assert.Same(alert, acknowledged);
    }

    [Fact]
    public void A_viewer_gets_no_button_for_an_active_alert()
    {
        var feed = Render<AlertFeed>(parameters => parameters
            .Add(p => p.Alerts, [TestAlerts.VeryNegative("m1", Noon)])
            .Add(p => p.CanAcknowledge, false));

        Assert.Empty(feed.FindAll("button"));
        Assert.Empty(feed.FindAll("[data-alert-status]"));
    }

    [Fact]
    public void Acknowledged_alert_has_no_button_and_says_when()
    {
        var alert = TestAlerts.VeryNegative("m1", Noon);
        alert.Status = AlertStatuses.Acknowledged;
        alert.AcknowledgedAt = Noon.AddMinutes(3);
        var feed = Render<AlertFeed>(parameters => parameters.Add(p => p.Alerts, [alert]));

        Assert.Empty(feed.FindAll("button"));
        Assert.Equal("acknowledged", feed.Find("li").ClassName);
        Assert.Equal("Acknowledged 2026-11-24 12:03:00 UTC", feed.Find("[data-alert-status]").TextContent.Trim());
    }

    [Fact]
    public void Button_is_disabled_while_its_acknowledgement_is_pending()
    {
        var alert = TestAlerts.VeryNegative("m1", Noon);
        var feed = Render<AlertFeed>(parameters => parameters
            .Add(p => p.Alerts, [alert])
            .Add(p => p.CanAcknowledge, true)
            .Add(p => p.Pending, new HashSet<Guid> { alert.Id }));

        Assert.True(feed.Find("button").HasAttribute("disabled"));
    }

    [Fact]
    public void No_alerts_is_said_in_words()
    {
        var feed = Render<AlertFeed>(parameters => parameters.Add(p => p.Alerts, []));

        Assert.Equal("No alerts in this range.", feed.Find(".empty").TextContent);
    }
}
