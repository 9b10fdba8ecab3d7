using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Sentiment.Contracts.Messaging;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Ingest;
using Sentiment.Tests.Notifications;
using Sentiment.Tests.Support;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Telemetry;

/// <summary>One posted message that raises an alert, followed through ingest, the stream, the worker and the webhook as spans.</summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AlertTraceTests(InfrastructureFixture infrastructure)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Posted_message_that_raises_an_alert_is_one_trace_from_ingest_to_notification()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var results = await ResultsDatabase.CreateAsync(infrastructure);
        await using var receiver = await RecordingHttpServer.StartAsync();
        var spans = new SpanCollection();
        var logs = new LogCapture();
        // OpenTelemetry listens to ActivitySources process-wide, so the notifier's tracer provider (the pipeline
        // ServiceDefaults builds, plus an in-memory exporter) also sees the in-process worker's and ingest's spans.
        await using var notifier = new NotifierApplication(redis.ConnectionString, results.ConnectionString).WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Notifications:Webhook:Url", new Uri(receiver.BaseAddress, "/hooks").ToString());
            builder.UseSetting("Notifications:Webhook:Secret", "trace-secret");
            Capture(builder, logs);
            builder.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        });
        _ = notifier.Services;
        await using var worker = new WorkerApplication(redis.ConnectionString, results.ConnectionString).WithWebHostBuilder(builder => Capture(builder, logs));
        _ = worker.Services;
        await using var ingest = new IngestApplication(redis.ConnectionString).WithWebHostBuilder(builder => Capture(builder, logs));
        using var client = ingest.CreateClient();
        const string Text = "Absolutely furious: the blender broke on day one and support hung up on me twice. Worst purchase ever.";

        var response = await client.PostAsync(
            "/api/ingest", new StringContent($$"""{"id":"trace-1","source":"review","text":"{{Text}}"}""", Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();

        var entry = Assert.Single(await redis.InputEntriesAsync());
        var traceId = ActivityContext.Parse((string)entry[FeedbackStreamEntry.TraceParentField]!, null).TraceId;
        await Eventually.WaitForAsync(redis.IsDrainedAsync, drained => drained, Timeout, "the entry acknowledged");
        var (message, batch) = await Eventually.WaitForAsync(
            () => Task.FromResult(Traces(spans, traceId)),
            traces => traces.Message.Count >= 16 && traces.Batch.Count >= 7,
            Timeout,
            "16 spans in the message's trace (up to the recorded webhook delivery) and 7 in its batch's");

        // Each span as "source kind 'name' <- 'parent'", and its links as "-> 'name' (trace)".
        var names = spans.Snapshot().ToDictionary(span => span.SpanId, span => $"'{span.DisplayName}'");
        var messageProcess = message.Single(span => span.DisplayName == "process sentiment:input");
        foreach (var span in message)
        {
            names[span.SpanId] = $"'{span.DisplayName}' (message)";
        }

        foreach (var span in batch)
        {
            names[span.SpanId] = $"'{span.DisplayName}' (batch)";
        }

        Assert.Equal(
            [
                "Microsoft.AspNetCore Server 'POST /api/ingest/' <- none",
                "Sentiment.Ingest Producer 'send sentiment:input' <- 'POST /api/ingest/' (message)",
                "Sentiment.Worker Consumer 'process sentiment:input' <- 'send sentiment:input' (message)",
                "Sentiment.Worker Internal 'preprocess' <- 'process sentiment:input' (message)",
                "Sentiment.Worker Internal 'inference' <- 'process sentiment:input' (message) -> 'inference' (batch)",
                "Sentiment.Worker Internal 'tag topics' <- 'process sentiment:input' (message)",
                "Sentiment.Worker Internal 'store results' <- 'process sentiment:input' (message) -> 'store results' (batch)",
                "Sentiment.Worker Internal 'evaluate alerts' <- 'process sentiment:input' (message) -> 'evaluate alerts' (batch)",
                "Sentiment.Worker Producer 'send sentiment:alerts' <- 'evaluate alerts' (message)",
                "Sentiment.Notifier Internal 'deliver webhook' <- 'send sentiment:alerts' (message)", // read from sentiment:alerts
                "Npgsql Client 'postgresql' <- 'deliver webhook' (message)", // what earlier deliveries of the alert did
                "Sentiment.Notifier Client 'notify webhook' <- 'deliver webhook' (message)",
                "System.Net.Http Client 'POST' <- 'notify webhook' (message)",
                "Microsoft.AspNetCore Server 'POST' <- 'POST' (message)", // the webhook receiver, in this process
                "Npgsql Client 'postgresql' <- 'deliver webhook' (message)", // the try, into notification_attempts
                "Npgsql Client 'postgresql' <- 'deliver webhook' (message)", // the outcome, into notification_deliveries
            ],
            message.Select(span => Describe(span, names)));
        Assert.Equal(
            [
                "Sentiment.Worker Consumer 'process sentiment:input' <- none -> 'process sentiment:input' (message)",
                "Sentiment.Worker Internal 'inference' <- 'process sentiment:input' (batch) -> 'process sentiment:input' (message)",
                "Sentiment.Worker Internal 'store results' <- 'process sentiment:input' (batch) -> 'process sentiment:input' (message)",
                "Npgsql Client 'postgresql' <- 'store results' (batch)", // INSERT INTO sentiment_analysis
                "Sentiment.Worker Internal 'evaluate alerts' <- 'process sentiment:input' (batch) -> 'process sentiment:input' (message)",
                "Npgsql Client 'postgresql' <- 'evaluate alerts' (batch)", // INSERT INTO alerts, returning those unpublished
                "Npgsql Client 'postgresql' <- 'evaluate alerts' (batch)", // marked published
            ],
            batch.Select(span => Describe(span, names)));

        // The attributes that say what happened.
        var row = Assert.Single(await results.RowsAsync());
        Assert.Equal(
            [
                ("messaging.system", "redis"), ("messaging.destination.name", "sentiment:input"), ("messaging.operation.type", "process"),
                ("messaging.operation.name", "process"), ("messaging.consumer.group.name", "sentiment-processors"),
                ("messaging.client.id", worker.Services.GetRequiredService<Sentiment.Worker.Processing.StreamConsumer>().ConsumerName),
                ("messaging.message.id", entry.Id.ToString()), ("sentiment.message.id", "trace-1"), ("sentiment.source", "review"),
                ("sentiment.label", "negative"),
            ],
            Tags(messageProcess));
        Assert.All(
            [.. message.Where(span => span.DisplayName == "inference"), .. batch.Where(span => span.DisplayName == "inference")],
            span => Assert.Equal([("sentiment.model.version", row.ModelVersion), ("sentiment.inference.batch_size", "1")], Tags(span)));
        Assert.Equal("INSERT INTO sentiment_analysis", FirstWords(batch.Single(span => span.Parent?.DisplayName == "store results").GetTagItem("db.query.text")));
        var send = message.Single(span => span.DisplayName == "send sentiment:alerts");
        var alertEntry = Assert.Single(await redis.Database.StreamRangeAsync(StreamNames.Alerts));
        Assert.Equal(send.Id, (string?)alertEntry["traceparent"]); // the dashboard's push continues from here
        Assert.Equal(AlertType(alertEntry), send.GetTagItem("sentiment.alert.type"));
        var notify = message.Single(span => span.DisplayName == "notify webhook");
        Assert.Equal(
            [("sentiment.notification.channel", "webhook"), ("sentiment.notification.attempt", "1"), ("sentiment.alert.id", (string?)alertEntry["id"]), ("sentiment.alert.type", "very_negative")],
            Tags(notify));
        Assert.Equal(ActivityStatusCode.Unset, notify.Status);
        Assert.Equal(
            [("sentiment.notification.channel", "webhook"), ("sentiment.alert.id", (string?)alertEntry["id"]), ("sentiment.alert.type", "very_negative"),
             ("sentiment.notification.outcome", "delivered"), ("sentiment.notification.attempts", "1")],
            Tags(message.Single(span => span.DisplayName == "deliver webhook")));
        // The receiver's path stays out of the client span (a Slack webhook's path is its credential).
        Assert.Equal($"{receiver.BaseAddress.Scheme}://{receiver.BaseAddress.Authority}/REDACTED", message.Single(span => span.Source.Name == "System.Net.Http").GetTagItem("url.full"));
        Assert.All([.. message, .. batch], span => Assert.DoesNotContain(span.TagObjects, tag => tag.Value?.ToString()?.Contains("blender broke", StringComparison.Ordinal) == true));

        // Logs carry the trace and span they were written in, and never the message text at Information or above.
        var raisedLog = Assert.Single(logs.Records, log => log.Category == "Sentiment.Worker.Alerts.AlertRaiser");
        Assert.Equal(LogLevel.Debug, raisedLog.Level);
        Assert.Equal((traceId.ToString(), send.SpanId.ToString()), ((string?)raisedLog.Scopes["TraceId"], (string?)raisedLog.Scopes["SpanId"]));
        Assert.DoesNotContain(logs.Records, log => log.Level >= LogLevel.Information && log.AllText.Contains("blender broke", StringComparison.Ordinal));
    }

    /// <summary>The finished spans of the message's trace and of its batch's trace (the one whose root links to the message), in start order.</summary>
    private static TraceSpans Traces(SpanCollection spans, ActivityTraceId traceId)
    {
        // Npgsql traces opening a physical connection ("CONNECT db") only when its pool has none idle: in the notifier,
        // a process of its own, that depends on whether anything used the pool before the alert arrived.
        var message = spans.OfTrace(traceId).Where(span => !IsConnectionOpen(span)).OrderBy(span => span.StartTimeUtc).ToList();
        var process = message.FirstOrDefault(span => span.DisplayName == "process sentiment:input");
        var batchRoot = process is null
            ? null
            : spans.Snapshot().FirstOrDefault(span => span.ParentSpanId == default && span.Links.Any(link => link.Context.SpanId == process.SpanId));
        var batch = batchRoot is null ? [] : spans.OfTrace(batchRoot.TraceId).Where(span => !IsConnectionOpen(span)).OrderBy(span => span.StartTimeUtc).ToList();
        return new TraceSpans(message, batch);
    }

    private static bool IsConnectionOpen(Activity span) =>
        span.Source.Name == "Npgsql" && span.DisplayName.StartsWith("CONNECT ", StringComparison.Ordinal);

    private static string Describe(Activity span, Dictionary<ActivitySpanId, string> names)
    {
        var parent = span.ParentSpanId == default ? "none" : names.GetValueOrDefault(span.ParentSpanId, "an unexported span");
        var links = string.Concat(span.Links.Select(link => " -> " + names.GetValueOrDefault(link.Context.SpanId, "an unexported span")));
        return $"{span.Source.Name} {span.Kind} '{span.DisplayName}' <- {parent}{links}";
    }

    private static List<(string, string?)> Tags(Activity span) =>
        [.. span.TagObjects.Select(tag => (tag.Key, Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture)))];

    private static string FirstWords(object? sql) => string.Join(' ', ((string)sql!).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(3));

    private static string AlertType(StackExchange.Redis.StreamEntry entry) => (string)entry["type"]!;

    private static void Capture(IWebHostBuilder builder, LogCapture logs)
    {
        builder.UseSetting("Logging:LogLevel:Default", "Information");
        // The raiser logs each alert at Debug (a spike must not cost a log line per alert at the default level).
        builder.UseSetting("Logging:LogLevel:Sentiment.Worker.Alerts.AlertRaiser", "Debug");
        builder.ConfigureLogging(logging => logging.AddProvider(logs));
    }
}

internal sealed record TraceSpans(IReadOnlyList<Activity> Message, IReadOnlyList<Activity> Batch)
{
    public override string ToString() =>
        $"message trace [{string.Join(", ", Message.Select(span => span.DisplayName))}], batch trace [{string.Join(", ", Batch.Select(span => span.DisplayName))}]";
}
