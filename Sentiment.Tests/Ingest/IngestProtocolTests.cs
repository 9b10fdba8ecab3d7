using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Ingest;

/// <summary>What ingest says about the request itself, before any message in it is read: media type, a body cut short, its API description.</summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class IngestProtocolTests(InfrastructureFixture infrastructure)
{
    private const string Message = """{"source":"twitter","text":"Checkout is so much faster now, thanks!"}""";

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Body_that_is_not_json_by_its_content_type_gets_a_415_and_publishes_nothing(string? contentType)
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        await using var ingest = new IngestApplication(redis.ConnectionString);
        using var client = ingest.CreateClient();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Message));
        if (contentType is not null)
        {
            content.Headers.ContentType = new(contentType);
        }

        using var response = await client.PostAsync("/api/ingest", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await redis.InputLengthAsync());
    }

    [Fact]
    public async Task Body_that_stalls_short_of_its_content_length_gets_a_408_and_publishes_nothing()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        await using var ingest = new IngestApplication(redis.ConnectionString);
        ingest.UseKestrel(0);
        ingest.StartServer();
        var address = new Uri(ingest.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var partial = Encoding.UTF8.GetBytes(Message[..20]);

        // Announces the whole message, sends a third of it, then waits: Kestrel's minimum data rate (240 bytes/s after a
        // 5 s grace period) ends the read.
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /api/ingest HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {TestCredentials.IngestKey}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {Message.Length}\r\n\r\n"));
        await stream.WriteAsync(partial);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.StartsWith("HTTP/1.1 408 ", response, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", response, StringComparison.Ordinal);
        Assert.Equal(0, await redis.InputLengthAsync());
    }

    [Fact]
    public async Task Redis_out_of_memory_gets_a_503_with_retry_after_and_nothing_is_evicted()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        await using var ingest = new IngestApplication(redis.ConnectionString);
        using var client = ingest.CreateClient();
        var server = redis.Connection.GetServers().Single();
        Assert.Equal("noeviction", (await server.ConfigGetAsync("maxmemory-policy")).Single().Value);
        var maxMemory = (await server.ConfigGetAsync("maxmemory")).Single().Value;
        using (var accepted = await client.PostAsync("/api/ingest", new StringContent(Message, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        await server.ConfigSetAsync("maxmemory", "1"); // far below what Redis already uses: every write is refused
        try
        {
            using var response = await client.PostAsync("/api/ingest", new StringContent(Message, Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            await server.ConfigSetAsync("maxmemory", maxMemory);
        }

        Assert.Equal(1, await redis.InputLengthAsync()); // the accepted message is still there
    }

    [Fact]
    public async Task OpenApi_document_describes_the_request_and_every_answer()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        await using var ingest = new IngestApplication(redis.ConnectionString);
        using var client = ingest.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        var post = document.RootElement.GetProperty("paths").GetProperty("/api/ingest").GetProperty("post");
        var body = post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal("array", body.GetProperty("type").GetString());
        Assert.Equal(
            ["202", "400", "401", "403", "408", "413", "415", "429", "503"],
            post.GetProperty("responses").EnumerateObject().Select(response => response.Name).Order(StringComparer.Ordinal));
        Assert.True(post.GetProperty("responses").GetProperty("400").GetProperty("content").TryGetProperty("application/problem+json", out _));
        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        Assert.True(document.RootElement.GetProperty("security")[0].TryGetProperty("ApiKey", out _));
        var item = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("IngestRequestItem").GetProperty("properties");
        Assert.Equal(["id", "metadata", "source", "text", "timestamp"], item.EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal));
    }
}
