using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Sentiment.Dashboard.Queries;
using Sentiment.Tests.Dashboard.Support;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;

namespace Sentiment.Tests.Dashboard;

/// <summary>The query services the views share, against a real PostgreSQL.</summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class QueryTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private DashboardDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _database = await DashboardDatabase.CreateAsync(infrastructure);
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task Sentiment_over_time_has_a_bucket_per_minute_of_the_range_with_empty_ones_at_zero()
    {
        await _database.InsertAsync(
        [
            new("a", Noon.AddSeconds(5), "web", "positive", 0.6),
            new("b", Noon.AddSeconds(59), "web", "negative", -0.2),
            new("c", Noon.AddMinutes(2).AddSeconds(1), "web", "neutral", 0.1),
            new("d", Noon.AddMinutes(3), "web", "neutral", 0.1), // at To: outside the half-open range
        ]);
        var query = new SentimentOverTimeQuery(_dataSource, new FakeTimeProvider(Noon.AddDays(1)));

        var buckets = await query.GetAsync(new SentimentFilter(From: Noon, To: Noon.AddMinutes(3)), BucketSize.Minute);

        Assert.Equal(
        [
            new SentimentTimeBucket(Noon, 2, new LabelCounts(1, 0, 1), 0.2),
            new SentimentTimeBucket(Noon.AddMinutes(1), 0, LabelCounts.Zero, null),
            new SentimentTimeBucket(Noon.AddMinutes(2), 1, new LabelCounts(0, 1, 0), 0.1),
        ], buckets.Select(b => b with { AverageScore = b.AverageScore is { } s ? Math.Round(s, 9) : null }));
    }

    [Fact]
    public async Task Sentiment_over_time_by_hour_without_a_range_lists_only_hours_with_messages()
    {
        await _database.InsertAsync(
        [
            new("a", Noon.AddMinutes(5), "web", "positive", 0.5),
            new("b", Noon.AddHours(3).AddMinutes(59), "app", "negative", -0.5),
        ]);
        var query = new SentimentOverTimeQuery(_dataSource, TimeProvider.System);

        var buckets = await query.GetAsync(SentimentFilter.None, BucketSize.Hour);

        Assert.Equal([Noon, Noon.AddHours(3)], buckets.Select(b => b.Start));
        Assert.Equal([1L, 1L], buckets.Select(b => b.Total));
    }

    [Fact]
    public async Task Top_topics_are_the_most_frequent_first_then_by_name_within_the_filter()
    {
        await _database.InsertAsync(
        [
            new("a", Noon, "web", "negative", -0.4, Topic: "billing"),
            new("b", Noon, "web", "negative", -0.6, Topic: "billing"),
            new("c", Noon, "web", "positive", 0.9, Topic: "delivery"),
            new("d", Noon, "app", "positive", 0.9, Topic: "delivery"),
            new("e", Noon, "app", "positive", 0.9, Topic: "delivery"),
            new("f", Noon, "web", "neutral", 0, Topic: "app"),
        ]);
        var query = new TopTopicsQuery(_dataSource);

        var topics = await query.GetAsync(new SentimentFilter(Source: "web"), top: 2);

        Assert.Equal([new TopicCount("billing", 2, -0.5), new TopicCount("app", 1, 0)], topics);
    }

    [Fact]
    public async Task Sources_are_listed_once_each_and_broken_down_by_label()
    {
        await _database.InsertAsync(
        [
            new("a", Noon, "web", "negative", -0.4),
            new("b", Noon, "web", "positive", 0.5),
            new("c", Noon, "web", "positive", 0.5),
            new("d", Noon, "app", "neutral", 0),
            new("e", Noon.AddHours(-2), "email", "negative", -0.9),
        ]);
        var query = new SourcesQuery(_dataSource);

        Assert.Equal(["app", "email", "web"], await query.ListAsync());
        Assert.Equal(
        [
            new SourceBreakdown("web", 3, new LabelCounts(2, 0, 1)),
            new SourceBreakdown("app", 1, new LabelCounts(0, 1, 0)),
        ], await query.ByLabelAsync(new SentimentFilter(From: Noon.AddHours(-1))));
    }

    [Fact]
    public async Task A_message_detail_has_every_stored_field_and_the_alerts_that_name_it()
    {
        await _database.InsertAsync([new("m1", Noon, "web", "negative", -0.8, Topic: "billing", Text: "Charged twice!", Keywords: ["charged", "twice"])]);
        var alert = TestAlerts.VeryNegative("m1", Noon.AddSeconds(2));
        await _database.InsertAlertAsync(alert);
        await _database.InsertAlertAsync(TestAlerts.VeryNegative("other", Noon.AddSeconds(3)));
        var query = new MessageDetailQuery(_dataSource);

        var detail = await query.GetAsync("m1");

        Assert.NotNull(detail);
        Assert.Equal(("m1", Noon, "web", "Charged twice!"), (detail.MessageId, detail.Timestamp, detail.Source, detail.Text));
        Assert.Equal(("negative", -0.8, "billing"), (detail.Label, detail.Score, detail.Topic));
        Assert.Equal(["charged", "twice"], detail.Keywords);
        Assert.Equal("test-model", detail.ModelVersion);
        Assert.Equal([alert.Id], detail.Alerts.Select(a => a.Id));
        Assert.Null(await query.GetAsync("missing"));
    }

    [Fact]
    public void A_cursor_survives_its_round_trip_and_a_tampered_one_is_refused()
    {
        var cursor = new MessageCursor(Noon.AddTicks(1234567), 42);

        Assert.True(MessageCursor.TryParse(cursor.Encode(), out var parsed));
        Assert.Equal(cursor, parsed);
        Assert.False(MessageCursor.TryParse(cursor.Encode()[..^2], out _));
        Assert.False(MessageCursor.TryParse("djE6MTI6YWJj", out _)); // "v1:12:abc"
    }
}
