using Microsoft.Extensions.Time.Testing;
using Sentiment.Dashboard.Components.Filters;
using Sentiment.Dashboard.Queries;

namespace Sentiment.Tests.Dashboard.Components;

public sealed class DashboardFilterTests
{
    [Fact]
    public void Plain_address_is_the_last_hour_of_every_source_per_minute()
    {
        Assert.Equal(new DashboardFilter(TimeRangeOption.Find("1h"), null, BucketSize.Minute), DashboardFilter.Parse(null, null, null));
    }

    [Fact]
    public void Unknown_values_fall_back_to_the_defaults()
    {
        Assert.Equal(DashboardFilter.Default, DashboardFilter.Parse("2y", " ", "second"));
    }

    [Fact]
    public void Ranges_past_six_hours_count_per_hour_and_refuse_minutes()
    {
        Assert.Equal(BucketSize.Hour, DashboardFilter.Parse("24h", null, null).Bucket);
        Assert.Equal(BucketSize.Minute, DashboardFilter.Parse("24h", null, "minute").Bucket);
        Assert.Equal(BucketSize.Hour, DashboardFilter.Parse("7d", null, "minute").Bucket);
    }

    [Fact]
    public void Address_leaves_defaults_out()
    {
        var query = DashboardFilter.Parse("6h", "twitter", "minute").ToQuery();

        Assert.Equal(new Dictionary<string, object?> { ["range"] = "6h", ["source"] = "twitter", ["bucket"] = null }, query);
        Assert.All(DashboardFilter.Default.ToQuery().Values, Assert.Null);
    }

    [Fact]
    public void Query_filter_ends_now_and_spans_the_range()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

        var filter = DashboardFilter.Parse("15m", "reviews", null).ToSentimentFilter(time);

        Assert.Equal(new SentimentFilter(From: new DateTimeOffset(2026, 11, 24, 11, 45, 0, TimeSpan.Zero), Source: "reviews"), filter);
    }

    [Fact]
    public void All_time_has_no_lower_bound()
    {
        var filter = DashboardFilter.Parse("all", null, null).ToSentimentFilter(TimeProvider.System);

        Assert.Equal(SentimentFilter.None, filter);
    }
}
