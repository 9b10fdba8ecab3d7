using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Sentiment.Tests.Dashboard.Support;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Dashboard;

[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReadApiValidationTests(InfrastructureFixture infrastructure)
{
    public static TheoryData<string, string, string[]> BadRequests => new()
    {
        { "GET", "/api/sentiment?from=yesterday", ["from"] },
        { "GET", "/api/sentiment?from=11/24/2026", ["from"] },
        { "GET", "/api/metrics?to=2026-11-24%2010:30:00Z", ["to"] },
        { "GET", "/api/keywords/trending?from=24%20November%202026", ["from"] },
        { "GET", "/api/sentiment?to=2026-13-01T00:00:00Z", ["to"] },
        { "GET", "/api/sentiment?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", ["to"] },
        { "GET", "/api/sentiment?label=angry", ["label"] },
        { "GET", "/api/sentiment?source=" + new string('s', 51), ["source"] },
        { "GET", "/api/sentiment?topic=", ["topic"] },
        { "GET", "/api/sentiment?q=ab", ["q"] },
        { "GET", "/api/sentiment?cursor=not-a-cursor", ["cursor"] },
        { "GET", "/api/sentiment?limit=0", ["limit"] },
        { "GET", "/api/sentiment?limit=201", ["limit"] },
        { "GET", "/api/sentiment?limit=ten", ["limit"] },
        { "GET", "/api/sentiment?from=x&label=y&q=a&limit=-1", ["from", "label", "limit", "q"] },
        { "GET", "/api/metrics?from=2026-01-01&to=2025-01-01", ["to"] },
        { "GET", "/api/metrics?label=Positive&q=%20%20x%20", ["label", "q"] },
        { "GET", "/api/alerts?status=open", ["status"] },
        { "GET", "/api/alerts?limit=501&source=", ["limit", "source"] },
        { "POST", "/api/alerts/not-a-guid/ack", ["id"] },
        { "GET", "/api/keywords/trending?top=0", ["top"] },
        { "GET", "/api/keywords/trending?from=soon&to=later", ["from", "to"] },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_parameters_get_a_400_problem_naming_each_one(string method, string url, string[] badParameters)
    {
        var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        await using var _ = redis;
        var database = await DashboardDatabase.CreateAsync(infrastructure);
        await using var dashboard = new DashboardApplication(redis.ConnectionString, database.ConnectionString).Start();
        using var client = dashboard.CreateApiClient(TestCredentials.OperatorKey);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Equal(badParameters, problem!.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.All(problem.Errors, error => Assert.Contains($"'{error.Key}'", error.Value.Single(), StringComparison.Ordinal));
    }
}
