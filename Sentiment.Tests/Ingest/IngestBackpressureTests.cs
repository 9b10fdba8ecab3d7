using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Sentiment.Contracts.Messaging;
using Sentiment.Ingest.Backpressure;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Telemetry;
using Sentiment.Tests.Worker.Support;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Sentiment.Tests.Ingest;

/// <summary>Back-pressure: above Ingest:MaxBacklog ingest answers 503 with Retry-After and publishes nothing, and nothing accepted is lost.</summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class IngestBackpressureTests(InfrastructureFixture infrastructure, ITestOutputHelper output)
{
    [Fact]
    public async Task Backlog_above_the_bound_gets_503_with_retry_after_and_publishing_resumes_once_it_drains()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        await redis.Database.StreamCreateConsumerGroupAsync(StreamNames.Input, StreamNames.ConsumerGroup, StreamPosition.Beginning, createStream: true);
        // The test samples the backlog itself; the monitor's own timer would only add the same readings.
        await using var ingest = new IngestApplication(
            redis.ConnectionString, new Dictionary<string, string> { ["Ingest:MaxBacklog"] = "5", ["Ingest:BacklogSampleInterval"] = "00:00:10" });
        using var client = ingest.CreateClient();
        var monitor = ingest.Services.GetRequiredService<BacklogMonitor>();
        using var metrics = new MetricRecorder(ingest.Services.GetRequiredService<IMeterFactory>());

        await monitor.SampleAsync();
        using (var accepted = await PostAsync(client, Messages("first", 6)))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        await monitor.SampleAsync(); // 6 waiting, above 5
        using (var refused = await PostAsync(client, Messages("refused", 1)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = JsonSerializer.Deserialize<ProblemDetails>(await refused.Content.ReadAsStringAsync(), JsonSerializerOptions.Web);
            Assert.Equal((503, "Backlog full"), (problem?.Status, problem?.Title));
        }

        Assert.Equal(6, await redis.InputLengthAsync());
        Assert.Equal(1, metrics.Sum("sentiment.ingest.rejected_requests", "http.response.status_code", 503));
        metrics.Observe();
        Assert.Equal(6, metrics.Of("sentiment.ingest.backlog")[^1].Value);

        // The workers catch up: delivered and acknowledged, the entries stay in the stream but no longer wait.
        var delivered = await redis.Database.StreamReadGroupAsync(StreamNames.Input, StreamNames.ConsumerGroup, "drainer", StreamPosition.NewMessages, 100);
        await redis.Database.StreamAcknowledgeAsync(StreamNames.Input, StreamNames.ConsumerGroup, [.. delivered.Select(entry => entry.Id)]);
        await monitor.SampleAsync();

        using (var again = await PostAsync(client, Messages("again", 1)))
        {
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        }

        Assert.Equal(7, await redis.InputLengthAsync());
    }

    [Fact]
    public async Task Flood_past_a_backlog_bound_of_10000_gets_503s_and_loses_nothing()
    {
        const int Bound = 10_000;
        const int BatchSize = 500;
        const int Batches = 32; // 16,000 messages
        const int Senders = 4;
        var timeout = TimeSpan.FromMinutes(3);
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var results = await ResultsDatabase.CreateAsync(infrastructure);
        await redis.Database.StreamCreateConsumerGroupAsync(StreamNames.Input, StreamNames.ConsumerGroup, StreamPosition.Beginning, createStream: true);
        await using var ingest = new IngestApplication(
            redis.ConnectionString,
            new Dictionary<string, string> { ["Ingest:MaxBacklog"] = $"{Bound}", ["Ingest:BacklogSampleInterval"] = "00:00:00.050" });
        using var client = ingest.CreateClient();
        var batches = Enumerable.Range(0, Batches).Select(batch => Messages($"flood-{batch:D2}", BatchSize)).ToList();

        // Each sender posts its batches in turn and retries a refused one, with the same ids, until it is accepted; it
        // waits 50 ms rather than the Retry-After of 5 s only to keep the test short.
        var accepted = new int[Batches];
        var refusedBy = new int[Senders];
        var finished = new bool[Senders];
        var unexpected = new List<HttpStatusCode>();
        async Task SendAsync(int sender)
        {
            for (var batch = sender; batch < Batches; batch += Senders)
            {
                while (true)
                {
                    using var response = await PostAsync(client, batches[batch]);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        Interlocked.Increment(ref accepted[batch]);
                        break;
                    }

                    if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                    {
                        lock (unexpected)
                        {
                            unexpected.Add(response.StatusCode);
                        }

                        return;
                    }

                    Interlocked.Increment(ref refusedBy[sender]);
                    await Task.Delay(50);
                }
            }

            Volatile.Write(ref finished[sender], true);
        }

        var sending = Task.WhenAll(Enumerable.Range(0, Senders).Select(SendAsync));

        // No worker yet, so the backlog only grows until ingest refuses. Once every sender has been refused (or has
        // had all its batches accepted), no request that passed the check is still on its way, and the stream must stay
        // as it is while they keep trying.
        await Eventually.WaitForAsync(
            () => Task.FromResult(Enumerable.Range(0, Senders).Count(sender => Volatile.Read(ref refusedBy[sender]) > 0 || Volatile.Read(ref finished[sender]))),
            settled => settled == Senders || sending.IsFaulted,
            timeout,
            "every sender refused");
        Assert.Empty(unexpected);
        var lengthWhenRefused = await redis.InputLengthAsync();
        var refusals = refusedBy.Sum();
        await Eventually.WaitForAsync(() => Task.FromResult(refusedBy.Sum()), sum => sum >= refusals + 20, timeout, "20 more refusals");
        Assert.Equal(lengthWhenRefused, await redis.InputLengthAsync());
        Assert.InRange(lengthWhenRefused, Bound + 1, Batches * BatchSize - 1);
        Assert.Equal(0, lengthWhenRefused % BatchSize); // whole requests only

        // A worker drains the backlog; the refused batches get in as it does.
        await using var worker = new WorkerApplication(redis.ConnectionString, results.ConnectionString).Start();
        await sending.WaitAsync(timeout);
        Assert.Empty(unexpected);
        Assert.All(accepted, count => Assert.Equal(1, count));
        await Eventually.WaitForAsync(results.CountAsync, count => count >= Batches * BatchSize, timeout, $"{Batches * BatchSize} rows");
        await Eventually.WaitForAsync(redis.IsDrainedAsync, drained => drained, timeout, "every entry acknowledged");

        var ids = batches.SelectMany(batch => JsonSerializer.Deserialize<JsonElement[]>(batch)!.Select(item => item.GetProperty("id").GetString()!)).Order(StringComparer.Ordinal);
        Assert.Equal(ids, (await results.RowsAsync()).Select(row => row.MessageId).Order(StringComparer.Ordinal));
        output.WriteLine($"Bound {Bound}: the stream stopped at {lengthWhenRefused} while refused; {refusedBy.Sum()} requests got 503; all {Batches * BatchSize} accepted messages stored once.");
        Assert.Equal(Batches * BatchSize, await redis.InputLengthAsync());
        Assert.Empty(await redis.DeadLetterEntriesAsync());
    }

    private static string Messages(string prefix, int count) => JsonSerializer.Serialize(
        Enumerable.Range(0, count).Select(i => new { id = $"{prefix}-{i:D3}", source = "twitter", text = $"Delivery {i} was late again." }));

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string body) =>
        client.PostAsync("/api/ingest", new StringContent(body, Encoding.UTF8, "application/json"));
}
