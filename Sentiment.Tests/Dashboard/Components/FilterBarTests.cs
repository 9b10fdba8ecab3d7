using Bunit;
using Sentiment.Dashboard.Components.Filters;
using Sentiment.Dashboard.Queries;

namespace Sentiment.Tests.Dashboard.Components;

public sealed class FilterBarTests : ComponentTestContext
{
    [Fact]
    public void Filter_bar_offers_every_range_and_source_with_the_chosen_ones_selected()
    {
        var bar = Render<FilterBar>(parameters => parameters
            .Add(p => p.Filter, DashboardFilter.Parse("6h", "twitter", null))
            .Add(p => p.Sources, ["reviews", "twitter"]));

        Assert.Equal(
            ["Last 15 minutes", "Last hour", "Last 6 hours", "Last 24 hours", "Last 7 days", "Last 30 days", "All time"],
            bar.FindAll("#filter-range option").Select(option => option.TextContent));
        Assert.Equal("6h", bar.Find("#filter-range").GetAttribute("value"));
        Assert.Equal(["All sources", "reviews", "twitter"], bar.FindAll("#filter-source option").Select(option => option.TextContent));
        Assert.Equal("twitter", bar.Find("#filter-source").GetAttribute("value"));
        Assert.Equal("Time range", bar.Find("label:has(#filter-range)").FirstChild!.TextContent.Trim());
    }

    [Fact]
    public void Choosing_a_range_raises_the_filter_with_that_ranges_bucket_size()
    {
        DashboardFilter? changed = null;
        var bar = Render<FilterBar>(parameters => parameters
            .Add(p => p.Filter, DashboardFilter.Parse("1h", "survey", "minute"))
            .Add(p => p.ShowBucket, true)
            .Add(p => p.FilterChanged, (DashboardFilter filter) => changed = filter));

        bar.Find("#filter-range").Change("7d");

        Assert.Equal(new DashboardFilter(TimeRangeOption.Find("7d"), "survey", BucketSize.Hour), changed);
    }

    [Fact]
    public void Choosing_all_sources_clears_the_source()
    {
        DashboardFilter? changed = null;
        var bar = Render<FilterBar>(parameters => parameters
            .Add(p => p.Filter, DashboardFilter.Parse("1h", "survey", null))
            .Add(p => p.FilterChanged, (DashboardFilter filter) => changed = filter));

        bar.Find("#filter-source").Change("");

        Assert.Null(changed!.Source);
    }

    [Fact]
    public void Per_minute_is_not_offered_for_a_week()
    {
        var bar = Render<FilterBar>(parameters => parameters
            .Add(p => p.Filter, DashboardFilter.Parse("7d", null, null))
            .Add(p => p.ShowBucket, true));

        Assert.True(bar.Find("#filter-bucket option[value=minute]").HasAttribute("disabled"));
        Assert.Equal("hour", bar.Find("#filter-bucket").GetAttribute("value"));
    }

    [Fact]
    public void A_chosen_source_not_yet_listed_is_still_offered()
    {
        var bar = Render<FilterBar>(parameters => parameters
            .Add(p => p.Filter, DashboardFilter.Parse(null, "email", null))
            .Add(p => p.Sources, ["twitter"]));

        Assert.Equal(["All sources", "twitter", "email"], bar.FindAll("#filter-source option").Select(option => option.TextContent));
    }
}
