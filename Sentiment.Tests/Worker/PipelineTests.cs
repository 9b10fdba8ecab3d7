using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sentiment.Ingest.Api;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Ingest;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Worker;

/// <summary>Ingest → Redis stream → worker → PostgreSQL, with the real services in memory and the shipped model.</summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PipelineTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly string[] Labels = ["negative", "neutral", "positive"];
    private static readonly string[] Topics =
    [
        "Product Features", "Customer Service", "Pricing", "Shipping", "Quality",
        "Website", "App Experience", "Returns", "Billing", "General Feedback",
    ];

    private RedisTestDatabase _redis = null!;
    private ResultsDatabase _results = null!;
    private IngestApplication _ingest = null!;
    private WorkerApplication _worker = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisTestDatabase.CreateAsync(infrastructure);
        _results = await ResultsDatabase.CreateAsync(infrastructure);
        _ingest = new IngestApplication(_redis.ConnectionString);
        _client = _ingest.CreateClient();
        _worker = new WorkerApplication(_redis.ConnectionString, _results.ConnectionString).Start();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _worker.DisposeAsync();
        await _ingest.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Thousand_posted_messages_become_exactly_thousand_labelled_rows()
    {
        var messages = Enumerable.Range(0, 1000).Select(i => new
        {
            id = $"bulk-{i:D4}",
            source = Sources[i % Sources.Length],
            text = $"Order {i}: {Phrases[i % Phrases.Length]}",
        });

        var response = await PostAsync(JsonSerializer.Serialize(messages));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1000, (await response.Content.ReadFromJsonAsync<IngestResponse>())!.Ids.Count);
        await Eventually.WaitForAsync(_results.CountAsync, count => count >= 1000, Timeout, "1,000 rows");
        await Eventually.WaitForAsync(_redis.IsDrainedAsync, drained => drained, Timeout, "every entry acknowledged");
        var rows = await _results.RowsAsync();
        Assert.Equal(1000, rows.Count);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"bulk-{i:D4}"), rows.Select(row => row.MessageId).Order());
        Assert.All(rows, row =>
        {
            Assert.Contains(row.SentimentLabel, Labels);
            Assert.InRange(row.SentimentScore, -1, 1);
            Assert.InRange(row.Confidence, 0, 1);
            Assert.False(string.IsNullOrEmpty(row.ModelVersion));
            Assert.Contains(row.Topic, Topics);
            Assert.InRange(row.TopicConfidence, 0, 1);
            Assert.InRange(row.Keywords.Length, 1, 5);
        });
        // A real model, not a constant: this mix of praise and complaints gets more than one label.
        Assert.True(rows.Select(row => row.SentimentLabel).Distinct().Count() > 1, "every message got the same label");
        Assert.True(rows.Select(row => row.Topic).Distinct().Count() > 1, "every message got the same topic");
    }

    [Fact]
    public async Task Same_id_posted_twice_is_stored_once()
    {
        var first = await PostAsync("""{"id":"dup-1","source":"twitter","text":"First copy: the app keeps crashing."}""");
        await Eventually.WaitForAsync(_results.CountAsync, count => count == 1, Timeout, "the first copy stored");
        var second = await PostAsync("""{"id":"dup-1","source":"twitter","text":"Second copy: the app keeps crashing."}""");
        var third = await PostAsync("""{"id":"other-1","source":"twitter","text":"A different message, posted after the copy."}""");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, third.StatusCode);
        await Eventually.WaitForAsync(_results.CountAsync, count => count >= 2, Timeout, "the message posted after the copy");
        await Eventually.WaitForAsync(_redis.IsDrainedAsync, drained => drained, Timeout, "every entry acknowledged");
        var rows = await _results.RowsAsync();
        Assert.Equal(["dup-1", "other-1"], rows.Select(row => row.MessageId));
        Assert.Equal("First copy: the app keeps crashing.", rows[0].OriginalText);
        Assert.Equal(3, await _redis.InputLengthAsync());
    }

    [Fact]
    public async Task Row_keeps_the_original_text_and_the_message_fields()
    {
        const string Text = "@acme   your new checkout https://shop.example/x is GREAT &amp; fast!";
        var response = await PostAsync($$$"""
            {"id":"full-1","timestamp":"2024-01-15T10:30:00Z","source":"twitter","text":"  {{{Text}}}  ",
             "metadata":{"user_id":"user123","location":"US","product_id":"prod456"}}
            """);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.WaitForAsync(_results.CountAsync, count => count == 1, Timeout, "the message stored");
        var row = Assert.Single(await _results.RowsAsync());
        var entry = Assert.Single(await _redis.InputEntriesAsync());
        Assert.Equal("full-1", row.MessageId);
        Assert.Equal(new DateTime(2024, 1, 15, 10, 30, 0), row.Timestamp);
        Assert.Equal("twitter", row.Source);
        Assert.Equal(Text, row.OriginalText);
        Assert.Equal("""{"user_id": "user123", "location": "US", "product_id": "prod456"}""", row.Metadata);
        Assert.Equal(entry.Id.ToString(), row.StreamId);
        Assert.True(row.IngestedAt <= row.ProcessedAt, $"ingested {row.IngestedAt:O} after processed {row.ProcessedAt:O}");
        // stored_at is the database's clock as it wrote the row, after the worker stamped processed_at (one host here).
        Assert.NotNull(row.StoredAt);
        Assert.True(row.ProcessedAt <= row.StoredAt, $"processed {row.ProcessedAt:O} after stored {row.StoredAt:O}");
        Assert.Equal("Website", row.Topic);
        Assert.InRange(row.TopicConfidence, 0.1f, 1f);
        // The mention (@acme) and the URL are not keywords: TextPreprocessor replaces them before tagging.
        Assert.Equal(["checkout", "fast", "great", "new"], row.Keywords);
    }

    [Fact]
    public async Task Row_carries_the_topic_its_confidence_and_keywords_without_stop_words()
    {
        var response = await PostAsync("""{"id":"topic-1","source":"review","text":"I was charged twice on my credit card and the invoice is wrong."}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.WaitForAsync(_results.CountAsync, count => count == 1, Timeout, "the message stored");
        var row = Assert.Single(await _results.RowsAsync());
        Assert.Equal("Billing", row.Topic);
        Assert.InRange(row.TopicConfidence, 0.5f, 1f);
        Assert.Equal(["invoice", "charged", "credit", "twice", "card"], row.Keywords);
    }

    private Task<HttpResponseMessage> PostAsync(string body) =>
        _client.PostAsync("/api/ingest", new StringContent(body, Encoding.UTF8, "application/json"));

    private static readonly string[] Sources = ["twitter", "support_ticket", "review", "survey"];

    private static readonly string[] Phrases =
    [
        "I love this product, it works perfectly and arrived early!",
        "Terrible experience, the package was broken and nobody answered my emails.",
        "The parcel arrived on Tuesday.",
        "Absolutely fantastic customer service, thank you so much!",
        "Worst purchase ever, I want a refund right now.",
        "The app asks for my password again after the update.",
        "Great quality, great price, would buy again.",
        "Disappointed, the screen cracked after two days and support was rude.",
    ];
}
