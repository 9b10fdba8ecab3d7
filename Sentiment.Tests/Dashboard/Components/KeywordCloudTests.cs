using Bunit;
using Sentiment.Dashboard.Components.Overview;
using Sentiment.Dashboard.Trending;

namespace Sentiment.Tests.Dashboard.Components;

public sealed class KeywordCloudTests : ComponentTestContext
{
    [Fact]
    public void Keywords_are_a_list_most_trending_first_sized_by_score()
    {
        var cloud = Render<KeywordCloud>(parameters => parameters.Add(p => p.Keywords, [
            new TrendingKeyword("refund", 12, 2, 40.0),
            new TrendingKeyword("late", 6, 1, 25.0),
            new TrendingKeyword("app", 5, 4, 10.0),
        ]));

        var items = cloud.FindAll("ul.keyword-cloud > li");
        Assert.Equal(["refund", "late", "app"], items.Select(item => item.FirstChild!.TextContent.Trim()));
        Assert.Equal(
            ["font-size: 2.20rem", "font-size: 1.55rem", "font-size: 0.90rem"],
            items.Select(item => item.GetAttribute("style")));
    }

    [Fact]
    public void Each_keyword_tells_a_screen_reader_its_counts()
    {
        var cloud = Render<KeywordCloud>(parameters => parameters.Add(p => p.Keywords, [new TrendingKeyword("refund", 1, 1234, 3.5)]));

        Assert.Equal(": 1 message now, 1,234 in the windows before", cloud.Find("li .visually-hidden").TextContent);
        Assert.Equal("font-size: 2.20rem", cloud.Find("li").GetAttribute("style"));
    }

    [Fact]
    public void No_trending_keyword_is_said_in_words()
    {
        var cloud = Render<KeywordCloud>(parameters => parameters.Add(p => p.Keywords, []));

        Assert.Equal("Trending keywords", cloud.Find("h2").TextContent);
        Assert.Equal("No keyword is trending in this range.", cloud.Find(".empty").TextContent);
        Assert.Empty(cloud.FindAll("ul"));
    }

    [Fact]
    public void An_empty_cloud_says_what_trending_needs_with_the_configured_figures()
    {
        var cloud = Render<KeywordCloud>(parameters => parameters.Add(p => p.Keywords, []));

        var needs = System.Text.RegularExpressions.Regex.Replace(cloud.Find("[data-testid=trending-needs]").TextContent, @"\s+", " ").Trim();
        Assert.Equal(
            "A keyword trends when at least 5 messages of this range name it, more often than in the 24 ranges of the same " +
            "length before it. Until messages from before this range are stored, there is nothing to compare with.",
            needs);
    }
}
