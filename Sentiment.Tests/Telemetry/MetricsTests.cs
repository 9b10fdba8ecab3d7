using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Sentiment.Contracts.Messaging;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Ingest;
using Sentiment.Tests.Worker.Support;
using Sentiment.Worker;
using Sentiment.Worker.Telemetry;
using StackExchange.Redis;

namespace Sentiment.Tests.Telemetry;

/// <summary>The services' metrics, read with a MeterListener scoped to each host's meters, and scraped at /metrics.</summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class MetricsTests(InfrastructureFixture infrastructure)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const string WebSource = "sentiment_source=\"web\"";
    private static readonly string[] Sources = ["web", "app", "email"];
    private static readonly string[] Phrases =
    [
        "Checkout was quick and the support team was lovely.",
        "The parcel arrived two weeks late and the box was crushed.",
        "It is a phone case. It fits the phone.",
        "Terrible app, it crashes every time I open my basket.",
    ];

    [Fact]
    public async Task After_N_posted_messages_the_counters_and_the_latency_histogram_count_exactly_N()
    {
        const int N = 40;
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var results = await ResultsDatabase.CreateAsync(infrastructure);
        await using var worker = new WorkerApplication(redis.ConnectionString, results.ConnectionString).Start();
        await using var ingest = new IngestApplication(redis.ConnectionString);
        using var client = ingest.CreateClient();
        using var metrics = new MetricRecorder(MeterFactoryOf(worker), MeterFactoryOf(ingest));
        var messages = Enumerable.Range(0, N)
            .Select(i => new { id = $"metric-{i:D2}", source = Sources[i % Sources.Length], text = Phrases[i % Phrases.Length] })
            .ToList();

        // Two requests, so the worker sees more than one batch.
        foreach (var request in new[] { messages[..25], messages[25..] })
        {
            var response = await client.PostAsync("/api/ingest", new StringContent(JsonSerializer.Serialize(request), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await Eventually.WaitForAsync(
            () => Task.FromResult(metrics.Sum("sentiment.worker.messages.processed")), processed => processed >= N, Timeout, $"{N} messages counted as processed");
        await Eventually.WaitForAsync(redis.IsDrainedAsync, drained => drained, Timeout, "every entry acknowledged");

        Assert.Equal(N, metrics.Sum("sentiment.ingest.messages"));
        Assert.Equal([14, 13, 13], Sources.Select(source => metrics.Sum("sentiment.ingest.messages", "sentiment.source", source)));
        Assert.Equal(N, metrics.Sum("sentiment.worker.messages.processed"));
        Assert.Equal(N, metrics.Count("sentiment.worker.end_to_end.duration"));
        // By source and label, exactly as stored.
        var stored = await CountsBySourceAndLabelAsync(results.ConnectionString);
        Assert.Equal(stored, Tally(metrics.Of("sentiment.worker.messages.processed"), sum: true));
        Assert.Equal(stored, Tally(metrics.Of("sentiment.worker.end_to_end.duration"), sum: false));
        Assert.All(metrics.Of("sentiment.worker.end_to_end.duration"), m => Assert.InRange(m.Value, 0, Timeout.TotalSeconds));
        // Each latency runs until the INSERT's commit returned, so it is at least its row's stored_at - ingested_at (one
        // host's clock here; 10 µs for PostgreSQL's rounding to microseconds). Until processed_at, stamped before the
        // INSERT, each was less. Sorted, the smallest latency against the smallest row's, and so on.
        var written = (await results.RowsAsync()).Select(row => (row.StoredAt!.Value - row.IngestedAt).TotalSeconds).Order();
        var recorded = metrics.Of("sentiment.worker.end_to_end.duration").Select(m => m.Value).Order();
        Assert.All(recorded.Zip(written), pair => Assert.True(
            pair.First >= pair.Second - 0.00001, $"a latency of {pair.First:F6} s ends before its row was written, {pair.Second:F6} s after ingest"));
        Assert.Equal("s", metrics.Of("sentiment.worker.end_to_end.duration")[0].Unit);
        // Every message went through exactly one model run, and each run was timed.
        Assert.Equal(N, metrics.Sum("sentiment.worker.inference.batch_size"));
        Assert.Equal(metrics.Count("sentiment.worker.inference.batch_size"), metrics.Count("sentiment.worker.inference.duration"));
        Assert.Empty(metrics.Of("sentiment.worker.messages.failed"));
        Assert.Empty(metrics.Of("sentiment.worker.messages.dead_lettered"));
    }

    [Fact]
    public async Task Failed_and_dead_lettered_messages_are_counted_per_delivery_and_per_message_by_source()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var results = await ResultsDatabase.CreateAsync(infrastructure);
        await using var worker = new WorkerApplication(redis.ConnectionString, results.ConnectionString)
            .WithWebHostBuilder(builder => builder.UseSetting("Worker:MaxDeliveries", "2"));
        _ = worker.Services;
        using var metrics = new MetricRecorder(MeterFactoryOf(worker));
        var now = DateTimeOffset.UtcNow;

        // One the database rejects (a constraint of this test's own: ingest's rules leave no input that PostgreSQL
        // refuses) and one that is not a message at all.
        await using (var connection = new NpgsqlConnection(results.ConnectionString))
        {
            await connection.OpenAsync();
            await using var constraint = new NpgsqlCommand(
                "ALTER TABLE sentiment_analysis ADD CONSTRAINT test_refuses_rejected_1 CHECK (message_id <> 'rejected-1')", connection);
            await constraint.ExecuteNonQueryAsync();
        }

        await redis.PublishAsync([new FeedbackMessage("rejected-1", now, "review", "Fine.", null, now)]);
        await redis.Database.StreamAddAsync(StreamNames.Input, [new NameValueEntry("id", "garbled-1"), new NameValueEntry("source", "review")]);

        await Eventually.WaitForAsync(
            () => Task.FromResult(metrics.Sum("sentiment.worker.messages.dead_lettered")), count => count >= 2, Timeout, "both entries counted as dead-lettered");

        Assert.Equal(2, metrics.Sum("sentiment.worker.messages.failed", "sentiment.source", "review"));
        Assert.Equal(2, metrics.Sum("sentiment.worker.messages.failed", "sentiment.source", "unknown"));
        Assert.Equal(4, metrics.Sum("sentiment.worker.messages.failed"));
        Assert.Equal(1, metrics.Sum("sentiment.worker.messages.dead_lettered", "sentiment.source", "review"));
        Assert.Equal(1, metrics.Sum("sentiment.worker.messages.dead_lettered", "sentiment.source", "unknown"));
        Assert.Equal(2, (await redis.DeadLetterEntriesAsync()).Length);
        Assert.Empty(metrics.Of("sentiment.worker.messages.processed"));
    }

    [Fact]
    public async Task Consumer_lag_and_pending_gauges_report_what_XINFO_GROUPS_said_at_the_last_sample()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        using var meters = new TestMeterFactory();
        var telemetry = new WorkerTelemetry(meters);
        var monitor = new ConsumerGroupMonitor(
            redis.Connection, telemetry, Options.Create(new WorkerOptions()), TimeProvider.System, NullLogger<ConsumerGroupMonitor>.Instance);
        using var metrics = new MetricRecorder(meters);

        await monitor.SampleAsync(); // no stream yet
        metrics.Observe();
        Assert.Empty(metrics.Of("sentiment.worker.consumer.lag"));
        Assert.Empty(metrics.Of("sentiment.worker.consumer.pending"));
        Assert.Equal(0, Assert.Single(metrics.Of("sentiment.worker.stream.length")).Value);

        await redis.Database.StreamCreateConsumerGroupAsync(StreamNames.Input, StreamNames.ConsumerGroup, StreamPosition.Beginning, createStream: true);
        for (var i = 0; i < 5; i++)
        {
            await redis.Database.StreamAddAsync(StreamNames.Input, "id", $"lag-{i}");
        }

        var delivered = await redis.Database.StreamReadGroupAsync(StreamNames.Input, StreamNames.ConsumerGroup, "consumer-1", StreamPosition.NewMessages, count: 2);
        metrics.Observe();
        Assert.Empty(metrics.Of("sentiment.worker.consumer.lag")); // nothing sampled since: no Redis call per collection

        await monitor.SampleAsync();
        metrics.Observe();
        var lag = Assert.Single(metrics.Of("sentiment.worker.consumer.lag"));
        var pending = Assert.Single(metrics.Of("sentiment.worker.consumer.pending"));
        Assert.Equal((3, 2), (lag.Value, pending.Value));
        Assert.Equal(5, metrics.Of("sentiment.worker.stream.length")[^1].Value);
        Assert.Equal(
            [new("messaging.destination.name", "sentiment:input"), new("messaging.consumer.group.name", "sentiment-processors")],
            lag.Tags);

        await redis.Database.StreamAcknowledgeAsync(StreamNames.Input, StreamNames.ConsumerGroup, delivered[0].Id);
        await monitor.SampleAsync();
        metrics.Observe();
        Assert.Equal([3, 3], metrics.Of("sentiment.worker.consumer.lag").Select(m => m.Value));
        Assert.Equal([2, 1], metrics.Of("sentiment.worker.consumer.pending").Select(m => m.Value));
    }

    [Fact]
    public async Task Lag_counts_the_entries_not_yet_delivered_even_when_redis_miscounts()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        using var meters = new TestMeterFactory();
        var monitor = new ConsumerGroupMonitor(
            redis.Connection, new WorkerTelemetry(meters), Options.Create(new WorkerOptions()), TimeProvider.System, NullLogger<ConsumerGroupMonitor>.Instance);
        using var metrics = new MetricRecorder(meters);
        var database = redis.Database;
        await database.StreamCreateConsumerGroupAsync(StreamNames.Input, StreamNames.ConsumerGroup, StreamPosition.Beginning, createStream: true);
        RedisValue last = default;
        for (var i = 0; i < 5; i++)
        {
            last = await database.StreamAddAsync(StreamNames.Input, "id", $"lag-{i}");
        }

        await database.StreamReadGroupAsync(StreamNames.Input, StreamNames.ConsumerGroup, "consumer-1", StreamPosition.NewMessages, count: 5);
        // Redis's lag is entries added minus entries read; an entries-added count that is off (as seen after a restart)
        // makes it report a backlog of 26,312 that does not exist.
        await database.ExecuteAsync("XSETID", StreamNames.Input, last, "ENTRIESADDED", 5 + 26_312);
        Assert.Equal(26_312, (await database.StreamGroupInfoAsync(StreamNames.Input)).Single().Lag);

        await monitor.SampleAsync();
        metrics.Observe();
        Assert.Equal(0, Assert.Single(metrics.Of("sentiment.worker.consumer.lag")).Value);
        // Every entry was delivered, so Redis's count of entries read is set to its count of entries added: its own
        // lag reads true again, for everyone who asks XINFO GROUPS.
        Assert.Equal(0, (await database.StreamGroupInfoAsync(StreamNames.Input)).Single().Lag);

        // Two new entries: exactly those two, where the miscount would have added 26,312 to them.
        await database.StreamAddAsync(StreamNames.Input, "id", "lag-5");
        await database.StreamAddAsync(StreamNames.Input, "id", "lag-6");
        await monitor.SampleAsync();
        metrics.Observe();
        Assert.Equal(2, metrics.Of("sentiment.worker.consumer.lag")[^1].Value);
        Assert.Equal(7, metrics.Of("sentiment.worker.stream.length")[^1].Value);
    }

    [Fact]
    public async Task Lag_counts_every_entry_when_the_group_is_behind_the_stream_and_nothing_when_it_is_not_there()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var database = redis.Database;
        Assert.Equal(StreamBacklog.Empty, await StreamBacklog.ReadAsync(database, StreamNames.Input, StreamNames.ConsumerGroup));

        for (var i = 0; i < 4; i++)
        {
            await database.StreamAddAsync(StreamNames.Input, "id", $"behind-{i}");
        }

        // No group yet: the workers will create it at the stream's beginning, so all four wait.
        Assert.Equal(new StreamBacklog(4, false, 4, 0), await StreamBacklog.ReadAsync(database, StreamNames.Input, StreamNames.ConsumerGroup));

        await database.StreamCreateConsumerGroupAsync(StreamNames.Input, StreamNames.ConsumerGroup, StreamPosition.Beginning);
        await database.StreamReadGroupAsync(StreamNames.Input, StreamNames.ConsumerGroup, "consumer-1", StreamPosition.NewMessages, count: 1);

        var backlog = await StreamBacklog.ReadAsync(database, StreamNames.Input, StreamNames.ConsumerGroup);
        Assert.Equal(new StreamBacklog(4, true, 3, 1), backlog);
        Assert.Equal(4, backlog.Unacknowledged);
    }

    [Fact]
    public async Task Ingest_and_worker_serve_their_metrics_as_Prometheus_text_at_metrics()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var results = await ResultsDatabase.CreateAsync(infrastructure);
        await using var worker = new WorkerApplication(redis.ConnectionString, results.ConnectionString)
            .WithWebHostBuilder(builder => builder.UseSetting("Worker:ConsumerMetricsInterval", "00:00:00.050"));
        using var workerClient = worker.CreateClient();
        await using var ingest = new IngestApplication(redis.ConnectionString);
        using var ingestClient = ingest.CreateClient();

        var response = await ingestClient.PostAsync(
            "/api/ingest", new StringContent("""{"id":"scrape-1","source":"web","text":"Great service, thanks!"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.WaitForAsync(redis.IsDrainedAsync, drained => drained, Timeout, "the entry acknowledged");

        var ingestMetrics = await ScrapeAsync(ingestClient);
        Assert.Matches(Line("sentiment_ingest_messages_total", WebSource, "1"), ingestMetrics);

        var workerMetrics = await Eventually.WaitForAsync(
            () => ScrapeAsync(workerClient),
            text => Regex.IsMatch(text, Line("sentiment_worker_messages_processed_total", WebSource, "1"))
                    && Regex.IsMatch(text, Line("sentiment_worker_consumer_pending", "", "0")),
            Timeout,
            "the processed message and a pending count of 0 in the worker's /metrics");
        Assert.Matches(Line("sentiment_worker_end_to_end_duration_seconds_count", WebSource, "1"), workerMetrics);
        Assert.Matches(Line("sentiment_worker_inference_duration_seconds_count", "", "1"), workerMetrics);
        Assert.Matches(Line("sentiment_worker_inference_batch_size_sum", "", "1"), workerMetrics);
        Assert.Matches(Line("sentiment_worker_consumer_lag", "", "0"), workerMetrics);
        Assert.Contains("# TYPE sentiment_worker_end_to_end_duration_seconds histogram", workerMetrics, StringComparison.Ordinal);
    }

    private static IMeterFactory MeterFactoryOf<T>(WebApplicationFactory<T> application)
        where T : class => application.Services.GetRequiredService<IMeterFactory>();

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>A sample line of <paramref name="name"/> whose labels include <paramref name="label"/>, with <paramref name="value"/> (and a timestamp or not).</summary>
    private static string Line(string name, string label, string value) =>
        $@"(?m)^{Regex.Escape(name)}\{{[^}}\n]*{Regex.Escape(label)}[^}}\n]*\}} {Regex.Escape(value)}( \d+)?$";

    private static Dictionary<(string, string), double> Tally(IEnumerable<RecordedMeasurement> measurements, bool sum) =>
        measurements
            .GroupBy(m => ((string)m.Tag("sentiment.source")!, (string)m.Tag("sentiment.label")!))
            .ToDictionary(group => group.Key, group => sum ? group.Sum(m => m.Value) : group.Count());

    private static async Task<Dictionary<(string, string), double>> CountsBySourceAndLabelAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT source, sentiment_label, count(*) FROM sentiment_analysis GROUP BY 1, 2", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<(string, string), double>();
        while (await reader.ReadAsync())
        {
            counts[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        }

        return counts;
    }
}
