using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Sentiment.Core.Messaging;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Ingest;
using Sentiment.Tests.Notifications;
using Sentiment.Tests.Worker.Support;
using Xunit.Abstractions;

namespace Sentiment.Tests.Telemetry;

/// <summary>One posted message that raises an alert, followed through ingest, the stream, the worker and the webhook as spans.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class AlertTraceTests(InfrastructureFixture infrastructure, ITestOutputHelper output)
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
        // OpenTelemetry listens to ActivitySources process-wide, so the worker's tracer provider (the pipeline
        // ServiceDefaults builds, plus an in-memory exporter) also sees the in-process ingest host's spans.
        await using var worker = new WorkerApplication(redis.ConnectionString, results.ConnectionString).WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Notifications:Webhook:Url", new Uri(receiver.BaseAddress, "/hooks").ToString());
            builder.UseSetting("Notifications:Webhook:Secret", "trace-secret");
            Capture(builder, logs);
            builder.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        });
        _ = worker.Services;
        await using var ingest = new IngestApplication(redis.ConnectionString).WithWebHostBuilder(builder => Capture(builder, logs));
        using var client = ingest.CreateClient();
        const string Text = "Absolutely furious: the blender broke on day one and support hung up on me twice. Worst purchase ever.";

        var response = await client.PostAsync(
            "/api/ingest", new StringContent($$"""{"id":"trace-1","source":"review","text":"{{Text}}"}""", Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();

        var entry = Assert.Single(await redis.InputEntriesAsync());
        var traceId = ActivityContext.Parse((string)entry[FeedbackStreamEntry.TraceParentField]!, null).TraceId;
        await Eventually.WaitForAsync(
            () => Task.FromResult(spans.OfTrace(traceId)),
            trace => trace.Any(span => span.DisplayName == "notify webhook") && trace.Any(span => span.DisplayName == "process sentiment:input"),
            Timeout,
            "the message's spans up to the webhook notification");
        await Eventually.WaitForAsync(redis.IsDrainedAsync, drained => drained, Timeout, "the entry acknowledged");

        foreach (var span in spans.Snapshot().OrderBy(span => span.StartTimeUtc))
        {
            output.WriteLine(
                $"{span.TraceId} {span.SpanId} parent={span.ParentSpanId} {span.Source.Name} {span.Kind} '{span.DisplayName}' status={span.Status} links=[{string.Join(",", span.Links.Select(link => link.Context.SpanId.ToString()))}] tags={string.Join(";", span.TagObjects.Select(tag => $"{tag.Key}={tag.Value}"))}");
        }

        foreach (var log in logs.Records)
        {
            output.WriteLine($"{log.Level} {log.Category}: {log.Message} | {string.Join(";", log.Scopes.Select(s => $"{s.Key}={s.Value}"))}");
        }
    }

    private static void Capture(IWebHostBuilder builder, LogCapture logs)
    {
        builder.UseSetting("Logging:LogLevel:Default", "Information");
        builder.ConfigureLogging(logging => logging.AddProvider(logs));
    }
}
