using Bunit;
using Sentiment.Dashboard.Components.Messages;
using Sentiment.Dashboard.Queries;

namespace Sentiment.Tests.Dashboard.Components;

public sealed class MessageTableTests : ComponentTestContext
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Table_has_a_row_per_message_with_time_source_label_score_topic_and_text()
    {
        var table = Render<MessageTable>(parameters => parameters.Add(p => p.Messages, [
            new MessageListItem("m-2", Noon.AddSeconds(30), "twitter", "negative", -0.875, "Shipping", "Late again"),
            new MessageListItem("m-1", Noon, "survey", "positive", 0.5, null, "Fine"),
        ]));

        Assert.Equal(["Time (UTC)", "Source", "Sentiment", "Score", "Topic", "Text"], table.FindAll("thead th").Select(th => th.TextContent));
        Assert.Equal(
            ["2026-11-24 12:00:30 UTC|twitter|Negative|−0.88|Shipping|Late again", "2026-11-24 12:00:00 UTC|survey|Positive|+0.50|–|Fine"],
            table.FindAll("tbody tr").Select(row => string.Join("|", row.Children.Select(cell => cell.TextContent.Trim()))));
    }

    [Fact]
    public void Each_row_links_to_its_message()
    {
        var table = Render<MessageTable>(parameters => parameters.Add(p => p.Messages, [
            new MessageListItem("id with space", Noon, "web", "neutral", 0, "General Feedback", "ok"),
        ]));

        Assert.Equal("messages/id%20with%20space", table.Find("tbody a").GetAttribute("href"));
    }

    [Fact]
    public void Long_text_is_cut_to_an_excerpt()
    {
        var text = new string('a', 300);

        var table = Render<MessageTable>(parameters => parameters.Add(p => p.Messages, [
            new MessageListItem("m", Noon, "web", "neutral", 0, null, text),
        ]));

        Assert.Equal(new string('a', 199) + "…", table.Find(".message-text").TextContent);
    }
}
