using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Ingest;

[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class IngestValidationTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private RedisTestDatabase _redis = null!;
    private IngestApplication _ingest = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisTestDatabase.CreateAsync(infrastructure);
        _ingest = new IngestApplication(_redis.ConnectionString);
        _client = _ingest.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _ingest.DisposeAsync();
        await _redis.DisposeAsync();
    }

    public static TheoryData<string, string, string> InvalidMessages => new()
    {
        // rule, body, the field the error must name
        { "text is required", """{"source":"twitter"}""", "text" },
        { "text is not null", """{"source":"twitter","text":null}""", "text" },
        { "text is a string", """{"source":"twitter","text":42}""", "text" },
        { "text is not empty", """{"source":"twitter","text":""}""", "text" },
        { "text is not blank after trimming", """{"source":"twitter","text":"   \t\n "}""", "text" },
        { "text is at most 10,000 characters after trimming", Message(text: new string('a', 10_001)), "text" },
        { "text holds no NUL", """{"source":"twitter","text":"a\u0000b"}""", "text" },
        { "source is required", """{"text":"hello"}""", "source" },
        { "source is not empty", """{"source":"","text":"hello"}""", "source" },
        { "source is at most 50 characters", Message(source: new string('a', 51)), "source" },
        { "source has no upper case", """{"source":"Twitter","text":"hello"}""", "source" },
        { "source has no spaces", """{"source":"twit ter","text":"hello"}""", "source" },
        { "source has no dots", """{"source":"x.com","text":"hello"}""", "source" },
        { "source is a string", """{"source":7,"text":"hello"}""", "source" },
        { "timestamp is ISO-8601, not words", """{"source":"twitter","text":"hello","timestamp":"yesterday"}""", "timestamp" },
        { "timestamp is ISO-8601, not US dates", """{"source":"twitter","text":"hello","timestamp":"01/15/2024 10:30"}""", "timestamp" },
        { "timestamp is a real date", """{"source":"twitter","text":"hello","timestamp":"2024-02-30T10:00:00Z"}""", "timestamp" },
        { "timestamp is a string, not epoch seconds", """{"source":"twitter","text":"hello","timestamp":1705314600}""", "timestamp" },
        { "metadata is an object, not an array", """{"source":"twitter","text":"hello","metadata":[1,2]}""", "metadata" },
        { "metadata is an object, not a string", """{"source":"twitter","text":"hello","metadata":"user=1"}""", "metadata" },
        { "metadata is at most 16 KB", Message(metadataBytes: 16 * 1024 + 1), "metadata" },
        { "metadata holds no NUL", """{"source":"twitter","text":"hello","metadata":{"k":"a\u0000"}}""", "metadata" },
        { "id is at most 255 characters", Message(id: new string('i', 256)), "id" },
        { "id is not empty", """{"id":"","source":"twitter","text":"hello"}""", "id" },
        { "id is a string", """{"id":12,"source":"twitter","text":"hello"}""", "id" },
        { "text is valid Unicode", """{"source":"twitter","text":"bad \ud800 surrogate"}""", "text" },
        { "timestamp is valid Unicode", """{"source":"twitter","text":"hello","timestamp":"\udc00"}""", "timestamp" },
        { "metadata is valid Unicode", """{"source":"twitter","text":"hello","metadata":{"k":"\ud800"}}""", "metadata" },
        { "metadata numbers fit PostgreSQL's numeric", """{"source":"twitter","text":"hello","metadata":{"n":1e1000000}}""", "metadata" },
        { "metadata numbers do not underflow it either", """{"source":"twitter","text":"hello","metadata":{"n":[1,2,1e-400]}}""", "metadata" },
        { "metadata is nested at most 32 deep", """{"source":"twitter","text":"hello","metadata":""" + new string('[', 32) + new string(']', 32) + "}", "metadata" },
        { "field names are valid Unicode", """{"source":"twitter","text":"hello","\ud800":1}""", "$" },
        { "fields are the design's", """{"source":"twitter","text":"hello","user":"u1"}""", "user" },
        { "a field appears once", """{"source":"twitter","text":"hello","text":"again"}""", "text" },
    };

    [Theory]
    [MemberData(nameof(InvalidMessages))]
    public async Task Invalid_message_gets_400_naming_the_field_and_publishes_nothing(string rule, string body, string field)
    {
        var response = await PostAsync(body);

        var problem = await ReadValidationProblemAsync(response, rule);
        Assert.Equal([field], problem.Errors.Keys);
        Assert.Equal(0, await _redis.InputLengthAsync());
    }

    [Fact]
    public async Task Every_bad_field_of_a_message_is_named()
    {
        var response = await PostAsync("""{"id":"","source":"Bad Source","text":" ","timestamp":"noon","metadata":[]}""");

        var problem = await ReadValidationProblemAsync(response, "five bad fields");
        Assert.Equal(["id", "metadata", "source", "text", "timestamp"], problem.Errors.Keys.Order());
    }

    [Fact]
    public async Task Batch_with_one_invalid_item_publishes_nothing()
    {
        var body = $"[{Message()},{Message()},{Message()},{{\"source\":\"twitter\"}},{Message()}]";

        var response = await PostAsync(body);

        var problem = await ReadValidationProblemAsync(response, "item 3 has no text");
        Assert.Equal(["[3].text"], problem.Errors.Keys);
        Assert.Equal(0, await _redis.InputLengthAsync());
    }

    [Fact]
    public async Task Batch_errors_name_each_item_index_and_field()
    {
        var body = $$"""[{{Message()}},{"source":"UPPER","text":"x"},7,{"text":"y","source":"ok","metadata":1}]""";

        var response = await PostAsync(body);

        var problem = await ReadValidationProblemAsync(response, "items 1, 2 and 3 are bad");
        Assert.Equal(["[1].source", "[2]", "[3].metadata"], problem.Errors.Keys.Order());
        Assert.Equal(0, await _redis.InputLengthAsync());
    }

    [Fact]
    public async Task Batch_of_more_than_1000_messages_is_refused()
    {
        var body = "[" + string.Join(",", Enumerable.Repeat(Message(), 1001)) + "]";

        var response = await PostAsync(body);

        var problem = await ReadValidationProblemAsync(response, "1,001 messages");
        Assert.Equal(["$"], problem.Errors.Keys);
        Assert.Contains("at most 1000", problem.Errors["$"].Single(), StringComparison.Ordinal);
        Assert.Equal(0, await _redis.InputLengthAsync());
    }

    [Theory]
    [InlineData("malformed JSON", """{"source":"twitter","text":""")]
    [InlineData("trailing garbage", """{"source":"twitter","text":"hi"} x""")]
    [InlineData("empty body", "")]
    [InlineData("empty array", "[]")]
    [InlineData("a number", "42")]
    [InlineData("a string", "\"hello\"")]
    [InlineData("null", "null")]
    public async Task Body_that_is_not_a_message_or_an_array_of_them_gets_400(string shape, string body)
    {
        var response = await PostAsync(body);

        var problem = await ReadValidationProblemAsync(response, shape);
        Assert.Equal(["$"], problem.Errors.Keys);
        Assert.Equal(0, await _redis.InputLengthAsync());
    }

    [Fact]
    public async Task Values_at_the_limits_are_accepted()
    {
        var body = Message(
            id: new string('i', 255),
            source: new string('s', 48) + "_-",
            text: "  " + new string('t', 10_000) + "  ",
            metadataBytes: 16 * 1024);

        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, await _redis.InputLengthAsync());
    }

    [Fact]
    public async Task Body_over_1_MB_gets_413_and_publishes_nothing()
    {
        // Valid JSON, so only the size can be the reason.
        var messages = Enumerable.Range(0, 110).Select(i => Message(text: new string('x', 9_600)));
        var body = "[" + string.Join(",", messages) + "]";
        Assert.True(Encoding.UTF8.GetByteCount(body) > 1024 * 1024);

        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal(413, problem?.Status);
        Assert.Equal(0, await _redis.InputLengthAsync());
    }

    private Task<HttpResponseMessage> PostAsync(string body) =>
        _client.PostAsync("/api/ingest", new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task<ValidationProblemDetails> ReadValidationProblemAsync(HttpResponseMessage response, string rule)
    {
        var content = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{rule}: expected 400, got {(int)response.StatusCode}: {content}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize<ValidationProblemDetails>(content, JsonSerializerOptions.Web)!;
    }

    /// <summary>A valid message, with the given field made to order.</summary>
    private static string Message(string? id = null, string source = "twitter", string text = "The new update is great", int? metadataBytes = null)
    {
        var fields = new Dictionary<string, object> { ["source"] = source, ["text"] = text };
        if (id is not null)
        {
            fields["id"] = id;
        }

        var json = JsonSerializer.Serialize(fields);
        if (metadataBytes is { } size)
        {
            // {"pad":"xxx..."} is exactly `size` bytes.
            var metadata = "{\"pad\":\"" + new string('x', size - 10) + "\"}";
            json = json[..^1] + ",\"metadata\":" + metadata + "}";
        }

        return json;
    }
}
