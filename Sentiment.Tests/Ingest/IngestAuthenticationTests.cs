using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sentiment.Contracts.Security;
using Sentiment.Tests.Cli;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Ingest;

[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class IngestAuthenticationTests(InfrastructureFixture infrastructure)
{
    private const string OneMessage = """{"source":"twitter","text":"hello"}""";

    [Theory]
    [InlineData(null, null)]
    [InlineData("Authorization", "Bearer snt_ingest_not-a-key")]
    [InlineData("X-Api-Key", "snt_ingest_not-a-key")]
    [InlineData("Authorization", "Basic dXNlcjpwYXNz")]
    public async Task A_missing_or_unknown_key_gets_401_problem_details_and_nothing_is_published(string? header, string? value)
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        await using var ingest = new IngestApplication(redis.ConnectionString);
        using var client = ingest.CreateAnonymousClient();
        using var request = Post(OneMessage);
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        var problem = await ProblemAsync(response);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Equal(0, await redis.InputLengthAsync());
    }

    [Fact]
    public async Task The_key_is_accepted_in_either_header()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        await using var ingest = new IngestApplication(redis.ConnectionString);
        using var client = ingest.CreateAnonymousClient();

        using var bearer = Post(OneMessage);
        bearer.Headers.Authorization = new("Bearer", TestCredentials.IngestKey);
        using var apiKey = Post(OneMessage);
        apiKey.Headers.Add("X-Api-Key", TestCredentials.IngestKey);

        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(bearer)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(apiKey)).StatusCode);
        Assert.Equal(2, await redis.InputLengthAsync());
    }

    [Fact]
    public async Task Every_endpoint_but_the_health_probes_refuses_an_anonymous_caller()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        await using var ingest = new IngestApplication(redis.ConnectionString);
        using var client = ingest.CreateAnonymousClient();
        var routes = ingest.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(endpoint => (Path: "/" + endpoint.RoutePattern.RawText!.Trim('/'), Methods: endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]))
            .ToList();

        var open = new List<string>();
        foreach (var (path, methods) in routes)
        {
            foreach (var method in methods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{documentName}", "v1", StringComparison.Ordinal))
                {
                    Content = new StringContent(OneMessage, Encoding.UTF8, "application/json"),
                };
                using var response = await client.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Unauthorized)
                {
                    open.Add($"{method} {path}: {(int)response.StatusCode}");
                }
            }
        }

        Assert.Contains(routes, route => route.Path == "/api/ingest");
        Assert.Equal(["GET /alive: 200", "GET /health: 200"], open.Order(StringComparer.Ordinal));
        Assert.Equal(0, await redis.InputLengthAsync());
    }

    [Fact]
    public async Task A_key_that_may_not_post_to_a_source_gets_403_naming_each_such_message_and_nothing_is_published()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var supportKey = ApiKeys.Generate(ApiKeys.IngestPrefix);
        await using var ingest = new IngestApplication(redis.ConnectionString, new Dictionary<string, string>
        {
            ["Ingest:Authentication:Keys:1:Name"] = "support-desk",
            ["Ingest:Authentication:Keys:1:Sha256"] = ApiKeys.Hash(supportKey),
            ["Ingest:Authentication:Keys:1:Sources:0"] = "support",
            ["Ingest:Authentication:Keys:1:Sources:1"] = "email",
        });
        using var client = ingest.CreateAnonymousClient();
        using var request = Post("""
            [{"source":"support","text":"fine"},{"source":"twitter","text":"not mine"},{"source":"email","text":"ok"},{"source":"review","text":"nor this"}]
            """);
        request.Headers.Authorization = new("Bearer", supportKey);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var errors = (await ProblemAsync(response)).GetProperty("errors");
        Assert.Equal(["[1].source", "[3].source"], errors.EnumerateObject().Select(error => error.Name));
        Assert.Equal("This API key may not post to source 'twitter'.", errors.GetProperty("[1].source")[0].GetString());
        Assert.Equal(0, await redis.InputLengthAsync());

        using var allowed = Post("""{"source":"email","text":"ok"}""");
        allowed.Headers.Authorization = new("Bearer", supportKey);
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(allowed)).StatusCode);
    }

    [Fact]
    public async Task A_key_created_with_the_cli_works_at_once_and_stops_working_once_revoked()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        await using var ingest = new IngestApplication(redis.ConnectionString, new Dictionary<string, string>
        {
            ["Ingest:Authentication:StoreRefreshInterval"] = "00:00:01",
        });
        using var client = ingest.CreateAnonymousClient();

        var created = CommandRun.Of("keys", "create", "--name", "zendesk", "--source", "support", "--redis", redis.ConnectionString);
        Assert.Equal(0, created.ExitCode);
        var key = created.LastLine;
        Assert.StartsWith(ApiKeys.IngestPrefix, key, StringComparison.Ordinal);
        var id = created.OutputLines[0].Split(' ')[0]["id=".Length..];
        // Redis holds the key's hash, never the key.
        var stored = await redis.Database.HashGetAllAsync(IngestKey.StoreKey);
        Assert.Equal(ApiKeys.Hash(key), Assert.Single(stored).Name.ToString());
        Assert.DoesNotContain(key, stored[0].Value.ToString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Accepted, (await SendWithKeyAsync(client, key, """{"source":"support","text":"hi"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendWithKeyAsync(client, key, OneMessage)).StatusCode);

        var listed = CommandRun.Of("keys", "list", "--redis", redis.ConnectionString);
        Assert.Equal(0, listed.ExitCode);
        Assert.StartsWith($"{id}\tzendesk\tsupport\t", listed.OutputLines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed.Output, StringComparison.Ordinal);

        Assert.Equal(0, CommandRun.Of("keys", "revoke", id, "--redis", redis.ConnectionString).ExitCode);
        // An empty message: 400 while the key still works, 401 once it is refused; either way nothing is published.
        await Eventually.WaitForAsync(
            () => SendWithKeyAsync(client, key, "{}"),
            response => response.StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(10),
            "the revoked key to be refused");
        Assert.Equal(1, await redis.InputLengthAsync());
    }

    [Theory]
    [InlineData(new[] { "keys", "create", "--name", "x", "--source", "Twitter!" }, "--source: 'Twitter!' is not a source name")]
    [InlineData(new[] { "keys", "create", "--name", "x" }, "--source: name at least one source, or * for every source.")]
    [InlineData(new[] { "keys", "create", "--name", "x", "--source", "a", "--all-sources" }, "give either --source or --all-sources, not both.")]
    [InlineData(new[] { "keys", "revoke", "nope" }, "there is no ingest key with id 'nope'")]
    public async Task The_keys_command_names_what_is_wrong(string[] args, string message)
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);

        var run = CommandRun.Of([.. args, "--redis", redis.ConnectionString]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Equal(0, await redis.Database.HashLengthAsync(IngestKey.StoreKey));
    }

    [Fact]
    public async Task Past_its_rate_limit_a_key_gets_429_with_retry_after_and_nothing_is_published()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        await using var ingest = new IngestApplication(redis.ConnectionString, new Dictionary<string, string>
        {
            ["Ingest:RateLimit:RequestsPerSecond"] = "1",
            ["Ingest:RateLimit:Burst"] = "3",
        });
        using var client = ingest.CreateClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 6 && limited is null; i++)
        {
            var response = await client.SendAsync(Post($$"""{"id":"m{{i}}","source":"twitter","text":"hello"}"""));
            statuses.Add(response.StatusCode);
            limited = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(limited);
        Assert.InRange(limited.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.Equal(429, (await ProblemAsync(limited)).GetProperty("status").GetInt32());
        // Every request before the 429 was accepted and published; the refused one was not.
        Assert.All(statuses.SkipLast(1), status => Assert.Equal(HttpStatusCode.Accepted, status));
        Assert.Equal(statuses.Count - 1, await redis.InputLengthAsync());
    }

    [Fact]
    public async Task A_key_that_cannot_be_checked_while_redis_is_down_gets_503_with_retry_after()
    {
        await using var ingest = new IngestApplication(LoopbackPorts.UnreachableRedis());
        using var client = ingest.CreateAnonymousClient();

        using var response = await SendWithKeyAsync(client, ApiKeys.Generate(ApiKeys.IngestPrefix), OneMessage);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal(503, (await ProblemAsync(response)).GetProperty("status").GetInt32());
    }

    private static HttpRequestMessage Post(string body) =>
        new(HttpMethod.Post, "/api/ingest") { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static Task<HttpResponseMessage> SendWithKeyAsync(HttpClient client, string key, string body)
    {
        var request = Post(body);
        request.Headers.Authorization = new("Bearer", key);
        return client.SendAsync(request);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
