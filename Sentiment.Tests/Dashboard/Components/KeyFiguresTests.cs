using Bunit;
using Sentiment.Dashboard.Components.Overview;
using Sentiment.Dashboard.Queries;

namespace Sentiment.Tests.Dashboard.Components;

public sealed class KeyFiguresTests : ComponentTestContext
{
    [Fact]
    public void Key_figures_show_total_rate_average_score_and_active_alerts()
    {
        var figures = Render<KeyFigures>(parameters => parameters
            .Add(p => p.Metrics, new SentimentMetrics(12345, new LabelCounts(10000, 2000, 345), -0.254, 2.46))
            .Add(p => p.ActiveAlerts, 3));

        Assert.Equal(
            ["Messages processed=12,345", "Processing rate (msg/s, last minute)=2.5", "Average score (−1 to +1)=−0.25", "Active alerts=3"],
            figures.FindAll("dl.metrics > div").Select(figure => $"{figure.QuerySelector("dt")!.TextContent}={figure.QuerySelector("dd")!.TextContent}"));
    }

    [Fact]
    public void Average_score_is_a_dash_when_no_message_matches()
    {
        var figures = Render<KeyFigures>(parameters => parameters.Add(p => p.Metrics, new SentimentMetrics(0, LabelCounts.Zero, null, 0)));

        Assert.Equal("–", figures.Find("[data-metric=average-score]").TextContent);
        Assert.Equal("0", figures.Find("[data-metric=total]").TextContent);
        Assert.Equal("0.0", figures.Find("[data-metric=rate]").TextContent);
    }
}
