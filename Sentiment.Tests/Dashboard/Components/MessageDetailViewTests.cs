using Bunit;
using Sentiment.Dashboard.Components.Messages;
using Sentiment.Dashboard.Queries;

namespace Sentiment.Tests.Dashboard.Components;

public sealed class MessageDetailViewTests : ComponentTestContext
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Message_page_lists_everything_stored_about_it()
    {
        var view = Render<MessageDetailView>(parameters => parameters.Add(p => p.Message, new MessageDetail(
            "m-1", Noon, "support", "Third time my order arrived broken.", "negative", -0.91, 0.93, "Shipping", 0.8f,
            ["order", "broken"], """{"user_id":"u42"}""", "sentiment-cnn-glove@1.0.0", "1795527386593-0",
            Noon.AddSeconds(5), Noon.AddSeconds(5).AddMilliseconds(1200), Noon.AddSeconds(5).AddMilliseconds(1234), [])));

        Assert.Equal("Message m-1", view.Find("h2").TextContent);
        Assert.Equal("Third time my order arrived broken.", view.Find("blockquote").TextContent);
        Assert.Equal(
            [
                "Written=2026-11-24 12:00:00 UTC", "Source=support", "Sentiment=Negative", "Score=−0.91", "Confidence=93%",
                "Topic=Shipping (80% sure)", "Keywords=order, broken", "Model=sentiment-cnn-glove@1.0.0",
                "Accepted by ingest=2026-11-24 12:00:05 UTC", "Stored=2026-11-24 12:00:06 UTC", "Ingest to stored=1,234 ms",
                "Stream entry=1795527386593-0", """Metadata={"user_id":"u42"}""",
            ],
            view.FindAll("dl.detail-list dt").Select(term => $"{term.TextContent}={term.NextElementSibling!.TextContent.Trim()}"));
        Assert.Equal("This message raised no alert and counted towards none.", view.Find("section p.muted").TextContent);
    }

    [Fact]
    public void Message_page_lists_its_alerts()
    {
        var alertId = Guid.NewGuid();
        var view = Render<MessageDetailView>(parameters => parameters.Add(p => p.Message, new MessageDetail(
            "m-2", Noon, "twitter", "Awful", "negative", -0.99, 0.99, null, null, [], null, null, null, null, null, null,
            [new MessageAlert(alertId, "very_negative", "critical", "active", "Score -0.990 is below -0.500.", Noon)])));

        var alert = view.Find($"li[data-alert-id='{alertId}']");
        Assert.Equal(
            "critical Very negative message, 2026-11-24 12:00:00 UTC: Score -0.990 is below -0.500. (active)",
            string.Join(" ", alert.TextContent.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("–", view.Find("dt:contains('Ingest to stored') + dd").TextContent);
    }

    [Fact]
    public void Ingest_to_stored_is_until_the_row_was_written_not_until_it_was_classified()
    {
        var view = Render<MessageDetailView>(parameters => parameters.Add(p => p.Message, Stored(
            processedAt: Noon.AddMilliseconds(40), storedAt: Noon.AddMilliseconds(57))));

        Assert.Equal("57 ms", view.Find("dt:contains('Ingest to stored') + dd").TextContent);
    }

    [Fact]
    public void Row_stored_before_stored_at_existed_counts_until_it_was_classified()
    {
        var view = Render<MessageDetailView>(parameters => parameters.Add(p => p.Message, Stored(
            processedAt: Noon.AddMilliseconds(40), storedAt: null)));

        Assert.Equal("40 ms", view.Find("dt:contains('Ingest to stored') + dd").TextContent);
    }

    private static MessageDetail Stored(DateTimeOffset processedAt, DateTimeOffset? storedAt) => new(
        "m-3", Noon, "web", "Fine", "neutral", 0.1, 0.6, null, null, [], null, null, null, Noon, processedAt, storedAt, []);
}
