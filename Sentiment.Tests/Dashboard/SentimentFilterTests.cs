using Sentiment.Dashboard.Queries;

namespace Sentiment.Tests.Dashboard;

public sealed class SentimentFilterTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_filter_of_valid_parts_has_no_errors()
    {
        var filter = new SentimentFilter(Noon, Noon.AddHours(1), "web", "negative", "billing", "refund");

        Assert.Empty(filter.Validate());
    }

    [Fact]
    public void Each_bad_part_is_named_by_its_api_parameter()
    {
        var filter = new SentimentFilter(Noon, Noon, new string('s', 51), "Negative", "", "  a ");

        Assert.Equal(["label", "q", "source", "to", "topic"], filter.Validate().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Queries_refuse_an_invalid_filter_naming_the_problem()
    {
        var exception = Assert.Throws<ArgumentException>(() => new SentimentFilter(Label: "angry").EnsureValid());

        Assert.Contains("'label' must be one of positive, neutral, negative.", exception.Message, StringComparison.Ordinal);
    }
}
