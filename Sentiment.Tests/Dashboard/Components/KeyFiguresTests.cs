using Bunit;
using Sentiment.Dashboard.Components.Overview;
using Sentiment.Dashboard.Queries;

namespace Sentiment.Tests.Dashboard.Components;

public sealed class KeyFiguresTests : ComponentTestContext
{
    [Fact]
    public void Key_figures_show_total_rate_average_score_active_alerts_and_backlog()
    {
        var figures = Render<KeyFigures>(parameters => parameters
            .Add(p => p.Metrics, new SentimentMetrics(12345, new LabelCounts(10000, 2000, 345), -0.254, 2.46))
            .Add(p => p.ActiveAlerts, 3)
            .Add(p => p.Backlog, 10_250));

        Assert.Equal(
            ["Messages processed=12,345", "Processing rate (msg/s, last minute)=2.5", "Average score (−1 to +1)=−0.25", "Active alerts=3",
             "Backlog (waiting, all sources)=10,250"],
            figures.FindAll("dl.metrics > div").Select(figure => $"{figure.QuerySelector("dt")!.TextContent}={figure.QuerySelector("dd")!.TextContent}"));
    }

    [Fact]
    public void Average_score_and_backlog_are_dashes_when_unknown()
    {
        var figures = Render<KeyFigures>(parameters => parameters.Add(p => p.Metrics, new SentimentMetrics(0, LabelCounts.Zero, null, 0)));

        Assert.Equal("–", figures.Find("[data-metric=average-score]").TextContent);
        Assert.Equal("0", figures.Find("[data-metric=total]").TextContent);
        Assert.Equal("0.0", figures.Find("[data-metric=rate]").TextContent);
        Assert.Equal("–", figures.Find("[data-metric=backlog]").TextContent); // Redis could not tell
    }
}
