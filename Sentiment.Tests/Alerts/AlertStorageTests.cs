using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Sentiment.Core.Alerts;
using Sentiment.Core.Messaging;
using Sentiment.Core.Storage;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Telemetry;
using Sentiment.Worker;
using Sentiment.Worker.Alerts;
using Sentiment.Worker.Notifications;
using Sentiment.Worker.Processing;
using Sentiment.Worker.Telemetry;

namespace Sentiment.Tests.Alerts;

[Collection(InfrastructureCollection.Name)]
public sealed class AlertStorageTests(InfrastructureFixture infrastructure)
{
    private static readonly WorkerTelemetry Telemetry = new(new TestMeterFactory());

    [Fact]
    public async Task Fired_alert_is_stored_and_published_once_even_when_its_batch_is_redelivered()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure, options => options.SpikeThreshold = 2);
        var connectionString = await infrastructure.CreateDatabaseAsync();
        await MigrateAsync(connectionString);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var raiser = NewRaiser(await rig.NewWorkerAsync(), rig, dataSource);
        AlertCandidate[] batch =
        [
            AlertRig.Negative("s-1"),
            AlertRig.Negative("s-2"),
            AlertRig.Negative("s-3", source: "support_ticket"),
        ];

        var raised = await raiser.RaiseAsync(batch, CancellationToken.None);
        var raisedAgain = await raiser.RaiseAsync(batch, CancellationToken.None);

        var alert = Assert.Single(raised);
        Assert.Empty(raisedAgain);
        await using var context = new SentimentDbContext(new DbContextOptionsBuilder<SentimentDbContext>().UseNpgsql(connectionString).Options);
        var stored = Assert.Single(await context.Alerts.ToListAsync());
        Assert.Equal(alert.Id, stored.Id);
        Assert.Equal(AlertTypes.NegativeSpike, stored.Type);
        Assert.Equal(AlertSeverities.Critical, stored.Severity);
        Assert.Equal(["s-3"], stored.MessageIds);
        Assert.Equal(-0.3, stored.Score, 6);
        Assert.Equal("Message s-3: the delivery was late again.", stored.Snippet);
        Assert.Equal("support_ticket", stored.Source);
        Assert.Equal("http://dashboard.test:5081/messages/s-3", stored.Link);
        Assert.Equal(rig.Time.GetUtcNow(), stored.CreatedAt);
        Assert.Equal(AlertStatuses.Active, stored.Status);
        var entry = Assert.Single(await rig.Redis.Database.StreamRangeAsync(StreamNames.Alerts));
        Assert.Equal(alert.Id.ToString(), (string?)entry["id"]);
        Assert.Equal(AlertTypes.NegativeSpike, (string?)entry["type"]);
        var published = AlertStreamEntry.Parse(entry);
        Assert.Equal(alert.Id, published.Id);
        Assert.Equal(alert.Reason, published.Reason);
        Assert.Equal(alert.MessageIds, published.MessageIds);
    }

    [Fact]
    public async Task A_rule_that_fails_for_a_reason_other_than_an_outage_loses_its_alerts_but_does_not_throw()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure, options => options.SpikeThreshold = 1);
        var connectionString = await infrastructure.CreateDatabaseAsync();
        await MigrateAsync(connectionString);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var raiser = NewRaiser(await rig.NewWorkerAsync(), rig, dataSource);
        // A key of the wrong type makes the spike script fail with WRONGTYPE, which no retry can fix.
        await rig.Redis.Database.StringSetAsync(rig.Options.KeyPrefix + "{spike}:negatives", "not a sorted set");

        var raised = await raiser.RaiseAsync([AlertRig.Negative("f-1"), AlertRig.Negative("f-2")], CancellationToken.None);

        Assert.Empty(raised);
        Assert.Equal(0, await rig.Redis.Database.StreamLengthAsync(StreamNames.Alerts));
    }

    private static AlertRaiser NewRaiser(AlertEvaluator evaluator, AlertRig rig, NpgsqlDataSource dataSource) => new(
        evaluator,
        new AlertWriter(dataSource),
        new AlertPublisher(rig.Redis.Connection),
        new NotificationDispatcher([], new NotificationAttemptWriter(dataSource), Options.Create(new NotificationOptions()), TimeProvider.System, Telemetry, NullLogger<NotificationDispatcher>.Instance),
        new DependencyRetry(Options.Create(new WorkerOptions()), new ProcessingHealth(), TimeProvider.System, NullLogger<DependencyRetry>.Instance),
        Telemetry,
        NullLogger<AlertRaiser>.Instance);

    private static async Task MigrateAsync(string connectionString)
    {
        await using var context = new SentimentDbContext(new DbContextOptionsBuilder<SentimentDbContext>().UseNpgsql(connectionString).Options);
        await context.Database.MigrateAsync();
    }
}
