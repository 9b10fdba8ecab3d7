using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sentiment.Contracts.Alerts;
using Sentiment.Dashboard.Api;
using Sentiment.Dashboard.Queries;
using Sentiment.Tests.Dashboard.Support;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Dashboard;

[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReadApiTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private RedisTestDatabase _redis = null!;
    private DashboardDatabase _database = null!;
    private DashboardApplication _dashboard = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisTestDatabase.CreateAsync(infrastructure);
        _database = await DashboardDatabase.CreateAsync(infrastructure);
        _dashboard = await new DashboardApplication(_redis.ConnectionString, _database.ConnectionString).StartLiveAsync();
        _client = _dashboard.CreateApiClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _dashboard.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Metrics_count_labels_average_and_rate_of_the_matching_results()
    {
        var now = DateTimeOffset.UtcNow;
        var from = now.AddMinutes(-50);
        var recently = now.AddSeconds(-10);
        await _database.InsertAsync(
        [
            new("w1", from.AddMinutes(1), "web", "positive", 0.8, ProcessedAt: recently),
            new("w2", from.AddMinutes(2), "web", "positive", 0.8, ProcessedAt: recently),
            new("w3", from.AddMinutes(3), "web", "positive", 0.8, ProcessedAt: recently),
            new("w4", from.AddMinutes(4), "web", "neutral", 0.0),
            new("w5", from.AddMinutes(5), "web", "neutral", 0.0),
            new("w6", from.AddMinutes(6), "web", "negative", -0.6),
            new("a1", from.AddMinutes(7), "app", "negative", -0.9, ProcessedAt: recently),
            new("old", from.AddMinutes(-30), "web", "negative", -0.9, ProcessedAt: recently),
        ]);

        var metrics = await _client.GetFromJsonAsync<JsonElement>(
            $"/api/metrics?source=web&from={Iso(from)}&to={Iso(now)}");

        Assert.Equal(6, metrics.GetProperty("total").GetInt64());
        var byLabel = metrics.GetProperty("byLabel");
        Assert.Equal(["positive", "neutral", "negative"], byLabel.EnumerateObject().Select(p => p.Name));
        Assert.Equal(3, byLabel.GetProperty("positive").GetInt64());
        Assert.Equal(2, byLabel.GetProperty("neutral").GetInt64());
        Assert.Equal(1, byLabel.GetProperty("negative").GetInt64());
        Assert.Equal(0.3, metrics.GetProperty("averageScore").GetDouble(), 9);
        // w1–w3 were stored in the last 60 s: 3 / 60 s.
        Assert.Equal(0.05, metrics.GetProperty("ratePerSecond").GetDouble(), 9);
    }

    [Fact]
    public async Task Metrics_of_nothing_are_zero_with_no_average()
    {
        var metrics = await _client.GetFromJsonAsync<SentimentMetrics>("/api/metrics", Json);

        Assert.Equal(new SentimentMetrics(0, LabelCounts.Zero, null, 0), metrics);
    }

    [Fact]
    public async Task Filter_times_with_an_offset_are_read_as_the_instant_they_name()
    {
        var start = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
        await _database.InsertAsync(
        [
            new("before", start.AddMinutes(-1), "web", "neutral", 0),
            new("inside", start.AddMinutes(30), "web", "neutral", 0),
            new("after", start.AddHours(1), "web", "neutral", 0),
        ]);
        // 10:00Z and 11:00Z written in other zones; their offsets dropped, 'to' would come before 'from'.
        var from = Uri.EscapeDataString("2026-11-24T15:30:00+05:30");
        var to = Uri.EscapeDataString("2026-11-24T08:00:00-03:00");

        var page = await _client.GetFromJsonAsync<MessagePage>($"/api/sentiment?from={from}&to={to}", Json);

        Assert.Equal(["inside"], page!.Items.Select(item => item.MessageId));
    }

    [Fact]
    public async Task Sentiment_pages_list_every_match_once_newest_first()
    {
        var start = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        // Pairs share a timestamp, so the order (and each page's boundary) also rests on the row id.
        var rows = Enumerable.Range(0, 25)
            .Select(i => new SeedResult($"m{i:D2}", start.AddSeconds(i / 2), i % 3 == 0 ? "app" : "web", "neutral", 0))
            .ToList();
        await _database.InsertAsync(rows);
        var expected = rows.Where(r => r.Source == "web").Reverse().Select(r => r.MessageId).ToList();

        var seen = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var url = "/api/sentiment?source=web&limit=5" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await _client.GetFromJsonAsync<MessagePage>(url, Json);
            seen.AddRange(page!.Items.Select(item => item.MessageId));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(expected, seen);
        Assert.Equal(4, pages); // 16 rows: 5 + 5 + 5 + 1
    }

    [Fact]
    public async Task A_result_lists_its_fields_without_the_columns_the_api_does_not_publish()
    {
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        await _database.InsertAsync([new("m1", at, "web", "negative", -0.75, Topic: "billing", Text: "Charged twice")]);

        var page = await _client.GetFromJsonAsync<JsonElement>("/api/sentiment");

        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(
            """{"messageId":"m1","timestamp":"2026-03-01T12:00:00+00:00","source":"web","label":"negative","score":-0.75,"topic":"billing","text":"Charged twice"}""",
            item.GetRawText());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task Text_search_finds_a_case_insensitive_substring_and_takes_wildcards_literally()
    {
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        await _database.InsertAsync(
        [
            new("m1", at, "web", "negative", -0.5, Text: "Battery drains fast"),
            new("m2", at.AddSeconds(1), "web", "positive", 0.5, Text: "the BATTERY is great"),
            new("m3", at.AddSeconds(2), "web", "positive", 0.9, Text: "100% happy"),
            new("m4", at.AddSeconds(3), "web", "positive", 0.9, Text: "1000 happy customers"),
        ]);

        Assert.Equal(["m2", "m1"], await SearchAsync("battery"));
        Assert.Equal(["m3"], await SearchAsync("100%"));
        Assert.Equal(["m2"], await SearchAsync("battery&label=positive"));
    }

    [Fact]
    public async Task Alerts_are_listed_by_status_newest_first_with_their_total()
    {
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var older = TestAlerts.VeryNegative("m1", at, source: "web");
        var newer = TestAlerts.VeryNegative("m2", at.AddMinutes(1), source: "app");
        var acknowledged = TestAlerts.VeryNegative("m3", at.AddMinutes(2), status: AlertStatuses.Acknowledged);
        foreach (var alert in new[] { older, newer, acknowledged })
        {
            await _database.InsertAlertAsync(alert);
        }

        Assert.Equal([newer.Id, older.Id], await AlertIdsAsync("/api/alerts"));
        Assert.Equal([acknowledged.Id], await AlertIdsAsync("/api/alerts?status=acknowledged"));
        Assert.Equal([acknowledged.Id, newer.Id, older.Id], await AlertIdsAsync("/api/alerts?status=all"));
        Assert.Equal([older.Id], await AlertIdsAsync("/api/alerts?source=web"));
        var limited = await _client.GetFromJsonAsync<AlertList>("/api/alerts?status=all&limit=1", Json);
        Assert.Equal((1, 3L), (limited!.Items.Count, limited.Total));
    }

    [Fact]
    public async Task Acknowledging_an_alert_is_idempotent()
    {
        var alert = TestAlerts.VeryNegative("m1", DateTimeOffset.UtcNow);
        await _database.InsertAlertAsync(alert);

        using var operatorClient = _dashboard.CreateApiClient(TestCredentials.OperatorKey);
        using var first = await operatorClient.PostAsync($"/api/alerts/{alert.Id}/ack", null);
        using var second = await operatorClient.PostAsync($"/api/alerts/{alert.Id}/ack", null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var firstAlert = await first.Content.ReadFromJsonAsync<Alert>(Json);
        var secondAlert = await second.Content.ReadFromJsonAsync<Alert>(Json);
        Assert.Equal(AlertStatuses.Acknowledged, firstAlert!.Status);
        Assert.NotNull(firstAlert.AcknowledgedAt);
        Assert.Equal((firstAlert.Status, firstAlert.AcknowledgedAt), (secondAlert!.Status, secondAlert.AcknowledgedAt));
        Assert.Equal([alert.Id], await AlertIdsAsync("/api/alerts?status=acknowledged"));
    }

    [Fact]
    public async Task Acknowledging_an_unknown_alert_is_a_404_problem()
    {
        using var operatorClient = _dashboard.CreateApiClient(TestCredentials.OperatorKey);
        using var response = await operatorClient.PostAsync($"/api/alerts/{Guid.NewGuid()}/ack", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_lists_each_check_of_the_instance()
    {
        var health = await _client.GetFromJsonAsync<HealthResponse>("/api/health", Json);

        Assert.Equal("Healthy", health!.Status);
        Assert.Equal(["PostgreSql", "StackExchange.Redis", "live-feed", "results-schema", "self"], health.Checks.Keys.Order(StringComparer.Ordinal));
        Assert.All(health.Checks.Values, check => Assert.Equal("Healthy", check.Status));
    }

    [Fact]
    public async Task Trending_keywords_rank_the_term_that_rose()
    {
        var end = new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
        var rows = new List<SeedResult>();
        // Trailing 24 hours: "login" steady in 2 of every 10 messages, "battery" in 1 of 10.
        for (var i = 0; i < 240; i++)
        {
            rows.Add(new($"t{i}", end.AddHours(-25).AddMinutes(i * 6), "web", "neutral", 0,
                Keywords: i % 10 < 2 ? ["login"] : i % 10 == 2 ? ["battery"] : ["app"]));
        }

        // The last hour: "battery" in 8 of 10.
        for (var i = 0; i < 10; i++)
        {
            rows.Add(new($"c{i}", end.AddMinutes(-59 + i), "web", "neutral", 0, Keywords: i < 8 ? ["battery"] : ["login"]));
        }

        await _database.InsertAsync(rows);

        var trending = await _client.GetFromJsonAsync<JsonElement>($"/api/keywords/trending?from={Iso(end.AddHours(-1))}&to={Iso(end)}");

        var first = trending.EnumerateArray().First();
        Assert.Equal("battery", first.GetProperty("term").GetString());
        Assert.Equal(8, first.GetProperty("count").GetInt64());
        Assert.Equal(24, first.GetProperty("trailingCount").GetInt64());
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint_and_the_filters()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.Equal(
            ["/api/alerts", "/api/alerts/{id}/ack", "/api/health", "/api/keywords/trending", "/api/metrics", "/api/sentiment"],
            paths.EnumerateObject().Select(p => p.Name).Where(p => p.StartsWith("/api/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        var parameters = paths.GetProperty("/api/sentiment").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Select(p => p.GetProperty("name").GetString());
        Assert.Equal(["cursor", "from", "label", "limit", "q", "source", "to", "topic"], parameters.Order(StringComparer.Ordinal));
        Assert.True(paths.GetProperty("/api/sentiment").GetProperty("get").GetProperty("responses").TryGetProperty("400", out _));
    }

    [Fact]
    public async Task An_unreachable_database_answers_503_with_retry_after()
    {
        // Port 1 on loopback: nothing listens there, so every connection is refused.
        await using var dashboard = new DashboardApplication(
            _redis.ConnectionString, "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2").Start();
        using var client = dashboard.CreateApiClient();

        using var response = await client.GetAsync("/api/metrics");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(DependencyUnavailableFilter.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task With_redis_unreachable_health_is_503_naming_redis_and_the_live_feed()
    {
        await using var dashboard = new DashboardApplication("127.0.0.1:1,connectTimeout=500", _database.ConnectionString).Start();
        using var client = dashboard.CreateApiClient();

        using var response = await client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var health = await response.Content.ReadFromJsonAsync<HealthResponse>(Json);
        Assert.Equal(("Unhealthy", "Unhealthy", "Degraded", "Healthy"),
            (health!.Status, health.Checks["StackExchange.Redis"].Status, health.Checks["live-feed"].Status, health.Checks["PostgreSql"].Status));
    }

    private async Task<List<string>> SearchAsync(string query)
    {
        var page = await _client.GetFromJsonAsync<MessagePage>("/api/sentiment?q=" + query.Replace("%", "%25", StringComparison.Ordinal), Json);
        return [.. page!.Items.Select(item => item.MessageId)];
    }

    private async Task<List<Guid>> AlertIdsAsync(string url)
    {
        var list = await _client.GetFromJsonAsync<AlertList>(url, Json);
        return [.. list!.Items.Select(alert => alert.Id)];
    }

    private static string Iso(DateTimeOffset instant) =>
        Uri.EscapeDataString(instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
}
