using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using Sentiment.Contracts;
using Sentiment.Contracts.Alerts;
using Sentiment.Contracts.Messaging;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;
using Sentiment.Tests.Telemetry;
using Sentiment.Tests.Worker.Support;
using Sentiment.Worker;
using Sentiment.Worker.Alerts;
using Sentiment.Worker.Processing;
using Sentiment.Worker.Telemetry;
using Xunit.Abstractions;

namespace Sentiment.Tests.Alerts;

/// <summary>
/// What a batch's alerts cost Redis: script calls counted by the server itself (INFO commandstats), for a 64-message
/// batch from four sources and many users, as in the load test.
/// </summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AlertRoundTripTests(InfrastructureFixture infrastructure, ITestOutputHelper output)
{
    private static readonly string[] Sources = ["twitter", "support", "reviews", "survey"];

    [Fact]
    public async Task A_batch_runs_every_rule_for_every_source_and_user_in_one_script_call()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure);
        var evaluator = await rig.NewWorkerAsync();
        var batch = Batch();
        var before = await ScriptCallsAsync(rig.Redis);

        var alerts = await evaluator.EvaluateAsync(batch, CancellationToken.None);

        var calls = await ScriptCallsAsync(rig.Redis) - before;
        // One call per rule and key before: each source with a very negative message, each user with a negative
        // one, and the spike rule.
        var ruleKeys = batch.Where(c => c.Score < rig.Options.VeryNegativeScore).Select(c => c.Source).Distinct().Count()
            + batch.Where(c => c.IsNegative && c.UserId is not null).Select(c => (c.Source, c.UserId)).Distinct().Count()
            + 1;
        output.WriteLine($"script calls for the rules of a 64-message batch: {calls} (rule and key pairs, one call each before: {ruleKeys})");
        Assert.Equal(1, calls);
        Assert.Equal(
            [
                (AlertTypes.RepeatedNegatives, "twitter:u-repeat"), (AlertTypes.VeryNegative, "reviews"), (AlertTypes.VeryNegative, "support"),
                (AlertTypes.VeryNegative, "survey"), (AlertTypes.VeryNegative, "twitter"),
            ],
            alerts.Select(alert => (alert.Type, alert.RuleKey)).Order());
        Assert.Equal(["r-2", "r-0", "r-1"], alerts.Single(alert => alert.Type == AlertTypes.RepeatedNegatives).MessageIds);
    }

    [Fact]
    public async Task A_batch_of_alerts_is_published_in_one_script_call_each_with_its_own_trace_and_once()
    {
        // What every service's OpenTelemetry set-up does; without it the entries would carry no trace context at all.
        Sdk.SetDefaultTextMapPropagator(new TraceContextPropagator());
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var publisher = new AlertPublisher(redis.Connection, new WorkerTelemetry(new TestMeterFactory()));
        var now = DateTimeOffset.UtcNow;
        Alert[] alerts = [TestAlerts.VeryNegative("p-1", now), TestAlerts.VeryNegative("p-2", now, source: "survey"), TestAlerts.VeryNegative("p-3", now, source: "app")];
        ActivityContext[] traces = [.. alerts.Select(_ => new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded))];
        var before = await ScriptCallsAsync(redis);

        var appended = await publisher.PublishAsync(alerts, traces);
        var afterFirst = await ScriptCallsAsync(redis);
        var appendedAgain = await publisher.PublishAsync([alerts[1], TestAlerts.VeryNegative("p-4", now)]);

        Assert.Equal((1, 1), (afterFirst - before, await ScriptCallsAsync(redis) - afterFirst));
        Assert.Equal(["p-1", "p-2", "p-3"], appended.Select(alert => alert.MessageIds[0]));
        Assert.Equal(["p-4"], appendedAgain.Select(alert => alert.MessageIds[0]));
        var entries = await redis.Database.StreamRangeAsync(StreamNames.Alerts);
        Assert.Equal(["p-1", "p-2", "p-3", "p-4"], entries.Select(entry => AlertStreamEntry.Parse(entry).MessageIds[0]));
        Assert.Equal(
            [.. traces.Select(trace => $"00-{trace.TraceId}-{trace.SpanId}-01"), null],
            entries.Select(entry => (string?)entry["traceparent"]));
    }

    [Fact]
    public async Task Raising_a_batch_s_alerts_takes_two_script_calls_and_logs_nothing_per_alert_at_information()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure);
        var connectionString = await infrastructure.CreateMigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var log = new LogCapture();
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(log).SetMinimumLevel(LogLevel.Information));
        var raiser = new AlertRaiser(
            await rig.NewWorkerAsync(),
            new AlertWriter(dataSource),
            new AlertPublisher(rig.Redis.Connection, new WorkerTelemetry(new TestMeterFactory())),
            new DependencyRetry(Options.Create(new WorkerOptions()), new ProcessingHealth(), TimeProvider.System, NullLogger<DependencyRetry>.Instance),
            loggers.CreateLogger<AlertRaiser>());
        var before = await ScriptCallsAsync(rig.Redis);

        var raised = await raiser.RaiseAsync(Batch(), CancellationToken.None);

        var calls = await ScriptCallsAsync(rig.Redis) - before;
        output.WriteLine($"script calls to raise and publish the {raised.Count} alerts of a 64-message batch: {calls}");
        Assert.Equal((5, 2L), (raised.Count, calls));
        Assert.Equal(5, await rig.Redis.Database.StreamLengthAsync(StreamNames.Alerts));
        // Counted in sentiment.worker.alerts.fired and logged at Debug: a spike costs no log line per alert.
        Assert.DoesNotContain(log.Records, record => record.Category == typeof(AlertRaiser).FullName);
    }

    /// <summary>
    /// 64 messages from four sources and 61 users: a third negative, half of those very negative; three negatives
    /// from one user of twitter, which fires repeated_negatives.
    /// </summary>
    private static List<AlertCandidate> Batch()
    {
        var batch = new List<AlertCandidate>();
        for (var i = 0; i < 3; i++)
        {
            batch.Add(new AlertCandidate($"r-{i}", "twitter", "u-repeat", SentimentLabel.Negative, -0.3, "Late again."));
        }

        for (var i = 3; i < 64; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"m-{i}");
            var user = string.Create(CultureInfo.InvariantCulture, $"u-{i}");
            var k = i / 3;
            batch.Add(i % 3 == 0
                ? new AlertCandidate(id, Sources[k % Sources.Length], user, SentimentLabel.Negative, k % 5 < 3 ? -0.9 : -0.3, "Awful.")
                : new AlertCandidate(id, Sources[i % Sources.Length], user, SentimentLabel.Positive, 0.6, "Lovely."));
        }

        return batch;
    }

    /// <summary>EVAL and EVALSHA calls the server has run so far (all databases).</summary>
    private static async Task<long> ScriptCallsAsync(RedisTestDatabase redis)
    {
        var info = await redis.Connection.GetServers().Single().InfoAsync("commandstats");
        return info.SelectMany(group => group)
            .Where(pair => pair.Key is "cmdstat_eval" or "cmdstat_evalsha")
            .Sum(pair => long.Parse(pair.Value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture));
    }
}
