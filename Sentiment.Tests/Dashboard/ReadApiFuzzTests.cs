using System.Net;
using Sentiment.Tests.Dashboard.Support;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;
using Sentiment.Tests.Worker.Support;
using Xunit.Abstractions;

namespace Sentiment.Tests.Dashboard;

/// <summary>
/// Malformed query strings thrown at every read API endpoint and the message pages: each gets an answer below 500,
/// and a 400 is a ProblemDetails body. The values are what a careless script or a hostile caller sends: NUL bytes,
/// invalid UTF-8, dates at the ends of the calendar, numbers past int and double, very long strings, SQL.
/// </summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReadApiFuzzTests(InfrastructureFixture infrastructure, ITestOutputHelper output)
{
    private const int RandomRequests = 400;

    private static readonly string[] Paths = ["/api/sentiment", "/api/metrics", "/api/alerts", "/api/keywords/trending", "/api/health", "/messages"];

    private static readonly string[] Parameters = ["from", "to", "source", "label", "topic", "q", "cursor", "limit", "status", "top", "range", "bucket"];

    // Already URL-encoded, as they travel.
    private static readonly string[] Values =
    [
        "", "%00", "a%00b", "%00%00%00", "%FF", "%ED%A0%80", "%C0%AF", "%E2%80%AE", "%F0%9F%98%A1", "%20", "+", "%0A%0D",
        "0001-01-01", "9999-12-31", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "2026-02-30", "2026-11-24T10:30:00%2B14:00",
        "-1", "0", "1", "201", "2147483647", "2147483648", "-2147483649", "99999999999999999999", "1e309", "NaN", "-0", "0x10",
        "positive", "Negative", "active", "all", "minute", "P1D", "null", "[]", "{}", "true",
        "%27%20OR%201%3D1%20--", "%27%3B%20DROP%20TABLE%20alerts%3B--", "%25", "%5C", "%22", "%3Cscript%3E",
        new string('x', 5000), string.Concat(Enumerable.Repeat("%00", 300)),
    ];

    public static TheoryData<string> KnownCases => new()
    {
        "/api/sentiment?topic=%00",
        "/api/metrics?source=%00",
        "/api/alerts?source=%00",
        "/api/keywords/trending?source=%00",
        "/api/keywords/trending?from=0001-01-01&to=9999-12-31",
        "/api/keywords/trending?from=0001-01-01T00:00:00Z",
        "/api/sentiment?q=abc%00def",
        "/api/sentiment?from=0001-01-01&to=9999-12-31&limit=200",
        "/api/metrics?from=0001-01-01&to=9999-12-31",
        "/messages/%00",
        "/messages/a%00b",
        "/messages?source=%00&topic=%00&q=%00%00%00",
    };

    [Theory]
    [MemberData(nameof(KnownCases))]
    public async Task Reported_inputs_get_an_answer_below_500(string url)
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var database = await DashboardDatabase.CreateAsync(infrastructure);
        await using var dashboard = new DashboardApplication(redis.ConnectionString, database.ConnectionString).Start();
        using var client = dashboard.CreateApiClient(TestCredentials.OperatorKey);

        await AssertNoServerErrorAsync(client, HttpMethod.Get, url);
    }

    [Theory]
    [InlineData("GET", "/api/nothing-here")]
    [InlineData("POST", "/api/alerts//ack")]
    [InlineData("DELETE", "/api/sentiment/x")]
    public async Task Unknown_api_paths_get_a_404_problem(string method, string url)
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var database = await DashboardDatabase.CreateAsync(infrastructure);
        await using var dashboard = new DashboardApplication(redis.ConnectionString, database.ConnectionString).Start();
        using var client = dashboard.CreateApiClient(TestCredentials.OperatorKey);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Random_malformed_query_strings_never_get_a_500()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var database = await DashboardDatabase.CreateAsync(infrastructure);
        await using var dashboard = new DashboardApplication(redis.ConnectionString, database.ConnectionString).Start();
        using var client = dashboard.CreateApiClient(TestCredentials.OperatorKey);
        var random = new Random(20261203); // fixed, so a failure is repeatable

        for (var i = 0; i < RandomRequests; i++)
        {
            var (method, url) = random.Next(8) == 0
                ? (HttpMethod.Post, $"/api/alerts/{Pick(random, [Guid.NewGuid().ToString(), .. Values])}/ack")
                : (HttpMethod.Get, Pick(random, Paths) + Query(random));
            await AssertNoServerErrorAsync(client, method, url);
        }

        output.WriteLine($"{RandomRequests} requests, none answered 5xx.");
    }

    private static string Query(Random random)
    {
        var count = random.Next(0, 5);
        return count == 0
            ? ""
            : "?" + string.Join('&', Enumerable.Range(0, count).Select(_ => $"{Pick(random, Parameters)}={Pick(random, Values)}"));
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static async Task AssertNoServerErrorAsync(HttpClient client, HttpMethod method, string url)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, url));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{method} {url} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 2000)]}");
        // Kestrel itself answers a path it cannot decode (a NUL byte, invalid UTF-8) with a bare 400 before any
        // application code runs; every 400 the API writes is a ProblemDetails body.
        var rejectedByKestrel = body.Length == 0 && url.Split('?')[0].Contains('%', StringComparison.Ordinal);
        if (response.StatusCode == HttpStatusCode.BadRequest && url.StartsWith("/api/", StringComparison.Ordinal) && !rejectedByKestrel)
        {
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{method} {url} answered 400 without a ProblemDetails body: {body}");
        }
    }
}
