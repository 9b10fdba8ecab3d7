using System.Net;
using Sentiment.Tests.Dashboard.Support;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Dashboard;

/// <summary>A dashboard started on a database the migrations resource has not reached yet: unready, never a 500.</summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SchemaReadinessTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Before_the_migrations_health_is_red_and_the_read_api_answers_503_with_retry_after()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var database = await infrastructure.CreateDatabaseAsync();
        await using var dashboard = new DashboardApplication(redis.ConnectionString, database).Start();
        using var client = dashboard.CreateApiClient();

        using var health = await client.GetAsync("/health");
        var healthBody = await health.Content.ReadAsStringAsync();
        using var metrics = await client.GetAsync("/api/metrics");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("\"results-schema\":{\"status\":\"Unhealthy\"", healthBody, StringComparison.Ordinal);
        Assert.Contains("the migrations resource applies them", healthBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, metrics.StatusCode);
        Assert.NotNull(metrics.Headers.RetryAfter);
        Assert.Equal("application/problem+json", metrics.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Once_migrated_the_schema_check_is_healthy()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var database = await infrastructure.CreateMigratedDatabaseAsync();
        await using var dashboard = new DashboardApplication(redis.ConnectionString, database).Start();
        using var client = dashboard.CreateApiClient();

        var body = await (await client.GetAsync("/health")).Content.ReadAsStringAsync();

        Assert.Contains("\"results-schema\":{\"status\":\"Healthy\"", body, StringComparison.Ordinal);
    }
}
