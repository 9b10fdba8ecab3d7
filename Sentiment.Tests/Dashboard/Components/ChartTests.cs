using Bunit;
using Sentiment.Dashboard.Components.Overview;
using Sentiment.Dashboard.Queries;

namespace Sentiment.Tests.Dashboard.Components;

public sealed class ChartTests : ComponentTestContext
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Donut_is_titled_and_labelled_with_each_sentiment_count_and_share()
    {
        var donut = Render<SentimentDonut>(parameters => parameters.Add(p => p.Counts, new LabelCounts(5, 3, 2)));

        Assert.Equal("Sentiment distribution", donut.Find("figure[data-chart=distribution] h2").TextContent);
        Assert.Equal(
            "Sentiment of 10 messages: positive 5 (50%), neutral 3 (30%), negative 2 (20%).",
            donut.Find(".rz-chart[role=img]").GetAttribute("aria-label"));
        Assert.Equal("10", donut.Find("[data-donut-total]").TextContent);
    }

    [Fact]
    public void Donut_data_table_lists_each_sentiment()
    {
        var donut = Render<SentimentDonut>(parameters => parameters.Add(p => p.Counts, new LabelCounts(1234, 0, 1)));

        Assert.Equal(
            ["Positive|1,234|100%", "Neutral|0|0%", "Negative|1|0%"],
            Rows(donut, "figure[data-chart=distribution] table.visually-hidden"));
    }

    [Fact]
    public void Donut_of_one_message_says_message()
    {
        var donut = Render<SentimentDonut>(parameters => parameters.Add(p => p.Counts, new LabelCounts(0, 1, 0)));

        Assert.Equal(
            "Sentiment of 1 message: positive 0 (0%), neutral 1 (100%), negative 0 (0%).",
            donut.Find(".rz-chart[role=img]").GetAttribute("aria-label"));
        Assert.Equal(["1", "message"], donut.FindAll(".rz-donut-content > div").Select(line => line.TextContent));
    }

    [Fact]
    public void Donut_without_messages_says_so_and_draws_no_chart()
    {
        var donut = Render<SentimentDonut>(parameters => parameters.Add(p => p.Counts, LabelCounts.Zero));

        Assert.Equal("No messages in this range.", donut.Find("figure[data-chart=distribution] .empty").TextContent);
        Assert.Empty(donut.FindAll(".rz-chart"));
        Assert.Equal("Sentiment distribution", donut.Find("h2").TextContent);
    }

    [Fact]
    public void Over_time_chart_summarises_the_labels_and_the_busiest_bucket()
    {
        var chart = Render<SentimentOverTimeChart>(parameters => parameters
            .Add(p => p.Buckets, [
                new SentimentTimeBucket(Noon, 3, new LabelCounts(1, 1, 1), 0.0),
                new SentimentTimeBucket(Noon.AddMinutes(1), 0, LabelCounts.Zero, null),
                new SentimentTimeBucket(Noon.AddMinutes(2), 5, new LabelCounts(0, 1, 4), -0.6),
            ])
            .Add(p => p.Bucket, BucketSize.Minute));

        Assert.Equal("Sentiment over time, per minute", chart.Find("figure[data-chart=over-time] h2").TextContent);
        Assert.Equal(
            "Messages per minute by sentiment over 3 minutes: positive 1, neutral 2, negative 5; the busiest minute began 2026-11-24 12:02:00 UTC with 5.",
            chart.Find(".rz-chart[role=img]").GetAttribute("aria-label"));
    }

    [Fact]
    public void Over_time_data_table_leaves_out_empty_buckets()
    {
        var chart = Render<SentimentOverTimeChart>(parameters => parameters
            .Add(p => p.Buckets, [
                new SentimentTimeBucket(Noon, 2, new LabelCounts(2, 0, 0), 0.9),
                new SentimentTimeBucket(Noon.AddHours(1), 0, LabelCounts.Zero, null),
                new SentimentTimeBucket(Noon.AddHours(2), 1, new LabelCounts(0, 0, 1), -0.75),
            ])
            .Add(p => p.Bucket, BucketSize.Hour));

        Assert.Equal("Sentiment over time, per hour", chart.Find("h2").TextContent);
        Assert.Equal(
            ["2026-11-24 12:00:00 UTC|2|0|0|+0.90", "2026-11-24 14:00:00 UTC|0|0|1|−0.75"],
            Rows(chart, "table.visually-hidden"));
    }

    [Fact]
    public void Top_topics_chart_is_labelled_with_each_topic_most_first()
    {
        var chart = Render<TopTopicsChart>(parameters => parameters.Add(p => p.Topics, [
            new TopicCount("Shipping", 12, -0.4),
            new TopicCount("Billing", 3, 0.25),
        ]));

        Assert.Equal("Top topics", chart.Find("figure[data-chart=topics] h2").TextContent);
        Assert.Equal("Messages per topic, most first: Shipping 12, Billing 3.", chart.Find(".rz-chart[role=img]").GetAttribute("aria-label"));
        Assert.Equal(["Shipping|12|−0.40", "Billing|3|+0.25"], Rows(chart, "table.visually-hidden"));
    }

    [Fact]
    public void Sources_chart_is_labelled_with_each_source_by_sentiment()
    {
        var chart = Render<SourcesBySentimentChart>(parameters => parameters.Add(p => p.Sources, [
            new SourceBreakdown("twitter", 6, new LabelCounts(1, 2, 3)),
            new SourceBreakdown("survey", 1, new LabelCounts(1, 0, 0)),
        ]));

        Assert.Equal("Sources by sentiment", chart.Find("figure[data-chart=sources] h2").TextContent);
        Assert.Equal(
            "Messages per source by sentiment: twitter 1 positive, 2 neutral, 3 negative; survey 1 positive, 0 neutral, 0 negative.",
            chart.Find(".rz-chart[role=img]").GetAttribute("aria-label"));
        Assert.Equal(["twitter|1|2|3|6", "survey|1|0|0|1"], Rows(chart, "table.visually-hidden"));
    }

    [Fact]
    public void Every_chart_is_a_figure_named_by_its_visible_title()
    {
        var chart = Render<TopTopicsChart>(parameters => parameters.Add(p => p.Topics, [new TopicCount("Pricing", 1, null)]));

        var figure = chart.Find("figure");
        Assert.Equal("topics-title", figure.GetAttribute("aria-labelledby"));
        Assert.Equal("Top topics", chart.Find("#topics-title").TextContent);
    }

    /// <summary>Each body row of the table, its cells joined with '|'.</summary>
    private static List<string> Rows<TComponent>(IRenderedComponent<TComponent> component, string table)
        where TComponent : Microsoft.AspNetCore.Components.IComponent =>
        component.FindAll($"{table} tbody tr")
            .Select(row => string.Join("|", row.Children.Select(cell => cell.TextContent.Trim())))
            .ToList();
}
