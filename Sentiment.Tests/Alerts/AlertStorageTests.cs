using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Sentiment.Contracts.Alerts;
using Sentiment.Contracts.Messaging;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;
using Sentiment.Tests.Telemetry;
using Sentiment.Worker;
using Sentiment.Worker.Alerts;
using Sentiment.Worker.Processing;
using Sentiment.Worker.Telemetry;

namespace Sentiment.Tests.Alerts;

[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AlertStorageTests(InfrastructureFixture infrastructure)
{
    private const string AlertsFired = "sentiment.worker.alerts.fired";

    private static readonly WorkerTelemetry Telemetry = new(new TestMeterFactory());

    [Fact]
    public async Task Fired_alert_is_stored_and_published_once_even_when_its_batch_is_redelivered()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure, options => options.SpikeThreshold = 2);
        var connectionString = await infrastructure.CreateMigratedDatabaseAsync();
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
        await using var context = InfrastructureFixture.NewDbContext(connectionString);
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
        var connectionString = await infrastructure.CreateMigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var raiser = NewRaiser(await rig.NewWorkerAsync(), rig, dataSource);
        // A key of the wrong type makes the spike script fail with WRONGTYPE, which no retry can fix.
        await rig.Redis.Database.StringSetAsync(rig.Options.KeyPrefix + "{spike}:negatives", "not a sorted set");

        var raised = await raiser.RaiseAsync([AlertRig.Negative("f-1"), AlertRig.Negative("f-2")], CancellationToken.None);

        Assert.Empty(raised);
        Assert.Equal(0, await rig.Redis.Database.StreamLengthAsync(StreamNames.Alerts));
    }

    [Fact]
    public async Task Redelivered_batch_publishes_the_alert_its_crashed_worker_stored_but_did_not_publish()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure, options => options.SpikeThreshold = 1);
        var connectionString = await infrastructure.CreateMigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var evaluator = await rig.NewWorkerAsync();
        AlertCandidate[] batch = [AlertRig.Negative("c-1"), AlertRig.Negative("c-2")];
        // The first worker evaluated and stored, then died before the XADD.
        var stored = await new AlertWriter(dataSource).StoreAsync(await evaluator.EvaluateAsync(batch, CancellationToken.None), CancellationToken.None);

        var raised = await NewRaiser(await rig.NewWorkerAsync(), rig, dataSource).RaiseAsync(batch, CancellationToken.None);

        Assert.Equal(stored.Single().Id, Assert.Single(raised).Id);
        Assert.Equal(stored.Single().Id, AlertStreamEntry.Parse(Assert.Single(await rig.Redis.Database.StreamRangeAsync(StreamNames.Alerts))).Id);
        Assert.Equal([true], await PublishedFlagsAsync(dataSource));
    }

    [Fact]
    public async Task Storing_alerts_again_returns_the_new_ones_and_those_stored_but_not_yet_published_in_the_order_given()
    {
        var connectionString = await infrastructure.CreateMigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var writer = new AlertWriter(dataSource);
        var now = DateTimeOffset.UtcNow;
        var published = TestAlerts.VeryNegative("w-1", now);
        var unpublished = TestAlerts.VeryNegative("w-2", now.AddSeconds(1));
        var fresh = TestAlerts.VeryNegative("w-3", now.AddSeconds(2));
        await writer.StoreAsync([published, unpublished], CancellationToken.None);
        await writer.MarkPublishedAsync([published], CancellationToken.None);

        var toPublish = await writer.StoreAsync([fresh, published, unpublished], CancellationToken.None);

        Assert.Equal([fresh.Id, unpublished.Id], toPublish.Select(alert => alert.Id));
        Assert.Equal([true, false, false], await PublishedFlagsAsync(dataSource));
    }

    [Fact]
    public async Task Outbox_sweep_publishes_a_stored_alert_left_unpublished_once_it_is_past_the_grace_period()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure, options => options.OutboxGrace = TimeSpan.FromMinutes(1));
        var connectionString = await infrastructure.CreateMigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var writer = new AlertWriter(dataSource);
        var outbox = NewOutbox(writer, rig);
        var stranded = TestAlerts.VeryNegative("o-1", rig.Time.GetUtcNow());
        await writer.StoreAsync([stranded], CancellationToken.None);

        var tooYoung = await outbox.SweepAsync(CancellationToken.None);
        rig.Time.Advance(TimeSpan.FromSeconds(61));
        var swept = await outbox.SweepAsync(CancellationToken.None);
        var sweptAgain = await outbox.SweepAsync(CancellationToken.None);

        Assert.Equal((0, 1, 0), (tooYoung, swept, sweptAgain));
        var entry = Assert.Single(await rig.Redis.Database.StreamRangeAsync(StreamNames.Alerts));
        Assert.Equal(stranded.Id, AlertStreamEntry.Parse(entry).Id);
        Assert.Equal([true], await PublishedFlagsAsync(dataSource));
    }

    [Fact]
    public async Task Publishing_an_alert_again_appends_nothing_and_its_one_entry_waits_for_the_notifiers()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure);
        var publisher = new AlertPublisher(rig.Redis.Connection, Telemetry);
        var alert = TestAlerts.VeryNegative("p-1", rig.Time.GetUtcNow());

        var first = await publisher.PublishAsync([alert]);
        var second = await publisher.PublishAsync([alert]);

        Assert.Equal([alert], first);
        Assert.Empty(second);
        var entry = Assert.Single(await rig.Redis.Database.StreamRangeAsync(StreamNames.Alerts));
        // The notifiers' group was made before the entry went in, so the entry is still to be read by it.
        var group = Assert.Single(await rig.Redis.Database.StreamGroupInfoAsync(StreamNames.Alerts));
        Assert.Equal(StreamNames.NotifierGroup, group.Name);
        Assert.True(string.CompareOrdinal(group.LastDeliveredId, entry.Id) < 0, $"{group.LastDeliveredId} is before {entry.Id}");
    }

    [Fact]
    public async Task Publisher_counts_an_alert_as_fired_once_when_it_appends_it_by_type_and_severity()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure);
        using var meters = new TestMeterFactory();
        using var metrics = new MetricRecorder(meters);
        var publisher = new AlertPublisher(rig.Redis.Connection, new WorkerTelemetry(meters));
        var alert = TestAlerts.VeryNegative("m-1", rig.Time.GetUtcNow(), severity: AlertSeverities.Warning);

        await publisher.PublishAsync([alert]);
        await publisher.PublishAsync([alert]);

        var fired = Assert.Single(metrics.Of(AlertsFired));
        Assert.Equal(1, fired.Value);
        Assert.Equal(AlertTypes.VeryNegative, fired.Tag("sentiment.alert.type"));
        Assert.Equal(AlertSeverities.Warning, fired.Tag("sentiment.alert.severity"));
    }

    [Fact]
    public async Task Alerts_published_by_the_raiser_and_by_the_outbox_sweep_are_each_counted_as_fired_once()
    {
        await using var rig = await AlertRig.CreateAsync(infrastructure, options => options.SpikeThreshold = 1);
        var connectionString = await infrastructure.CreateMigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        using var meters = new TestMeterFactory();
        using var metrics = new MetricRecorder(meters);
        var telemetry = new WorkerTelemetry(meters);
        var writer = new AlertWriter(dataSource);
        var raiser = NewRaiser(await rig.NewWorkerAsync(), rig, dataSource, telemetry);
        var outbox = NewOutbox(writer, rig, telemetry);
        var stranded = TestAlerts.VeryNegative("o-2", rig.Time.GetUtcNow());
        await writer.StoreAsync([stranded], CancellationToken.None);
        AlertCandidate[] batch = [AlertRig.Negative("r-1"), AlertRig.Negative("r-2")];

        var raised = Assert.Single(await raiser.RaiseAsync(batch, CancellationToken.None));
        await raiser.RaiseAsync(batch, CancellationToken.None);
        rig.Time.Advance(rig.Options.OutboxGrace + TimeSpan.FromSeconds(1));
        await outbox.SweepAsync(CancellationToken.None);
        await outbox.SweepAsync(CancellationToken.None);

        (string?, string?, double)[] expected = [(raised.Type, raised.Severity, 1), (stranded.Type, stranded.Severity, 1)];
        Assert.Equal(
            expected.Order(),
            metrics.Of(AlertsFired)
                .Select(m => ((string?)m.Tag("sentiment.alert.type"), (string?)m.Tag("sentiment.alert.severity"), m.Value))
                .Order());
    }

    private static async Task<List<bool>> PublishedFlagsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT published_at IS NOT NULL FROM alerts ORDER BY created_at");
        await using var reader = await command.ExecuteReaderAsync();
        var flags = new List<bool>();
        while (await reader.ReadAsync())
        {
            flags.Add(reader.GetBoolean(0));
        }

        return flags;
    }

    private static AlertRaiser NewRaiser(AlertEvaluator evaluator, AlertRig rig, NpgsqlDataSource dataSource, WorkerTelemetry? telemetry = null) => new(
        evaluator,
        new AlertWriter(dataSource),
        new AlertPublisher(rig.Redis.Connection, telemetry ?? Telemetry),
        new DependencyRetry(Options.Create(new WorkerOptions()), new ProcessingHealth(), TimeProvider.System, NullLogger<DependencyRetry>.Instance),
        NullLogger<AlertRaiser>.Instance);

    private static AlertOutbox NewOutbox(AlertWriter writer, AlertRig rig, WorkerTelemetry? telemetry = null) => new(
        writer,
        new AlertPublisher(rig.Redis.Connection, telemetry ?? Telemetry),
        Options.Create(rig.Options),
        rig.Time,
        NullLogger<AlertOutbox>.Instance);

}
