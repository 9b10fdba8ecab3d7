using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Sentiment.Contracts.Messaging;
using Sentiment.Ingest.Api;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;
using Sentiment.Tests.Worker.Support;
using StackExchange.Redis;

namespace Sentiment.Tests.Ingest;

[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class IngestPublishTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Message_is_published_to_the_input_stream_in_the_design_format()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        await using var ingest = new IngestApplication(redis.ConnectionString);
        using var client = ingest.CreateClient();
        var before = DateTimeOffset.UtcNow;

        var response = await PostAsync(client, """
            {"id":"msg-1","timestamp":"2024-01-15T12:30:00+02:00","source":"twitter",
             "text":"  Great service, thanks!  ","metadata":{"user_id":"user123","location":"US"}}
            """);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(["msg-1"], (await response.Content.ReadFromJsonAsync<IngestResponse>())!.Ids);
        var entry = Assert.Single(await redis.InputEntriesAsync());
        var fields = entry.Values.ToDictionary(field => (string)field.Name!, field => (string?)field.Value);
        Assert.Equal(["id", "timestamp", "source", "text", "metadata", "ingested_at", "traceparent"], fields.Keys);
        Assert.Equal("msg-1", fields["id"]);
        Assert.Equal("2024-01-15T10:30:00.0000000Z", fields["timestamp"]);
        Assert.Equal("twitter", fields["source"]);
        Assert.Equal("Great service, thanks!", fields["text"]);
        Assert.Equal("""{"user_id":"user123","location":"US"}""", fields["metadata"]);
        var ingestedAt = DateTimeOffset.Parse(fields["ingested_at"]!, CultureInfo.InvariantCulture);
        Assert.InRange(ingestedAt, before, DateTimeOffset.UtcNow);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", fields["traceparent"]); // W3C, sampled; tracestate is empty
    }

    [Fact]
    public async Task Message_without_id_or_timestamp_gets_a_new_uuid_and_the_time_of_ingest()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        await using var ingest = new IngestApplication(redis.ConnectionString);
        using var client = ingest.CreateClient();

        var response = await PostAsync(client, """{"source":"survey","text":"Fine."}""");

        var id = Assert.Single((await response.Content.ReadFromJsonAsync<IngestResponse>())!.Ids);
        Assert.True(Guid.TryParse(id, out _), $"'{id}' is not a UUID");
        var entry = Assert.Single(await redis.InputEntriesAsync());
        Assert.True(FeedbackStreamEntry.TryParse(entry, out var message, out var error), error);
        Assert.Equal(id, message.Id);
        Assert.Equal(message.IngestedAt, message.Timestamp);
        Assert.Null(message.Metadata);
    }

    [Fact]
    public async Task Batch_is_published_in_order_and_answered_with_its_ids()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        await using var ingest = new IngestApplication(redis.ConnectionString);
        using var client = ingest.CreateClient();

        var response = await PostAsync(client, """
            [{"id":"a","source":"web","text":"one"},{"source":"web","text":"two"},{"id":"c","source":"app","text":"three"}]
            """);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ids = (await response.Content.ReadFromJsonAsync<IngestResponse>())!.Ids;
        var entries = await redis.InputEntriesAsync();
        Assert.Equal(ids, entries.Select(entry => (string?)entry["id"]));
        Assert.Equal(["one", "two", "three"], entries.Select(entry => (string?)entry["text"]));
        Assert.Equal("a", ids[0]);
        Assert.Equal("c", ids[2]);
    }

    [Fact]
    public async Task Redis_unreachable_gets_503_with_retry_after_and_no_stack_trace()
    {
        await using var ingest = new IngestApplication(LoopbackPorts.UnreachableRedis());
        using var client = ingest.CreateClient();

        var response = await PostAsync(client, """{"source":"twitter","text":"hello"}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        var problem = System.Text.Json.JsonSerializer.Deserialize<ProblemDetails>(body, System.Text.Json.JsonSerializerOptions.Web);
        Assert.Equal(503, problem?.Status);
    }

    [Fact]
    public async Task Health_is_red_and_liveness_green_while_redis_is_unreachable()
    {
        await using var ingest = new IngestApplication(LoopbackPorts.UnreachableRedis());
        using var client = ingest.CreateClient();

        var health = await client.GetAsync("/health");
        var alive = await client.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("\"StackExchange.Redis\":{\"status\":\"Unhealthy\"", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task Health_is_green_with_redis_reachable()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        await using var ingest = new IngestApplication(redis.ConnectionString);
        using var client = ingest.CreateClient();

        var health = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("\"StackExchange.Redis\":{\"status\":\"Healthy\"", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string body) =>
        client.PostAsync("/api/ingest", new StringContent(body, Encoding.UTF8, "application/json"));
}
