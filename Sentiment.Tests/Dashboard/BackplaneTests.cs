using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Sentiment.Contracts.Alerts;
using Sentiment.Contracts.Messaging;
using Sentiment.Dashboard.Live;
using Sentiment.Tests.Dashboard.Support;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;
using Sentiment.Tests.Worker.Support;
using StackExchange.Redis;

namespace Sentiment.Tests.Dashboard;

/// <summary>Two dashboard instances on one Redis and one database, as a scaled-out deployment runs them.</summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BackplaneTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private RedisTestDatabase _redis = null!;
    private DashboardDatabase _database = null!;
    private DashboardApplication _a = null!;
    private DashboardApplication _b = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisTestDatabase.CreateAsync(infrastructure);
        _database = await DashboardDatabase.CreateAsync(infrastructure);
        _a = await new DashboardApplication(_redis.ConnectionString, _database.ConnectionString).StartLiveAsync();
        _b = await new DashboardApplication(_redis.ConnectionString, _database.ConnectionString).StartLiveAsync();
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task An_alert_acknowledged_through_one_instance_reaches_clients_and_views_of_the_other()
    {
        var alert = TestAlerts.VeryNegative("m1", DateTimeOffset.UtcNow);
        await _database.InsertAlertAsync(alert);
        var onB = new FeedRecorder();
        await _b.ConnectFeedAsync(onB.Attach);
        var viewOnB = new ConcurrentQueue<AlertAcknowledgement>();
        using var view = _b.Services.GetRequiredService<LiveUpdates>().Subscribe(batch =>
        {
            foreach (var acknowledgement in batch.AcknowledgedAlerts)
            {
                viewOnB.Enqueue(acknowledgement);
            }

            return Task.CompletedTask;
        });

        using var client = _a.CreateApiClient(TestCredentials.OperatorKey);
        using var response = await client.PostAsync($"/api/alerts/{alert.Id}/ack", null);
        response.EnsureSuccessStatusCode();

        var received = await Eventually.WaitForAsync(
            () => Task.FromResult(onB.Acknowledgements.ToList()), list => list.Count > 0, Timeout, "the acknowledgement at a client of instance B");
        Assert.Equal([alert.Id], received.Select(a => a.AlertId));
        var seenByView = await Eventually.WaitForAsync(
            () => Task.FromResult(viewOnB.ToList()), list => list.Count > 0, Timeout, "the acknowledgement in a view of instance B");
        Assert.Equal(received, seenByView);
        var stored = await _b.Services.GetRequiredService<Sentiment.Dashboard.Queries.AlertsQuery>().GetAsync(alert.Id);
        Assert.Equal((AlertStatuses.Acknowledged, received[0].AcknowledgedAt), (stored!.Status, stored.AcknowledgedAt));
    }

    [Fact]
    public async Task Each_client_gets_each_result_once_whichever_instance_it_is_on()
    {
        var onA = new FeedRecorder();
        var onB = new FeedRecorder();
        await _a.ConnectFeedAsync(onA.Attach);
        await _b.ConnectFeedAsync(onB.Attach);
        var results = Enumerable.Range(0, 50)
            .Select(i => new ResultSummary($"m{i}", DateTimeOffset.UtcNow, "web", "neutral", 0, "general", [], DateTimeOffset.UtcNow))
            .ToList();

        await _redis.Connection.GetSubscriber().PublishAsync(RedisChannel.Literal(StreamNames.Results), ResultSummaryBatch.Serialize(results));

        await Eventually.WaitForAsync(() => Task.FromResult(onA.ResultCount + onB.ResultCount), n => n >= 100, Timeout, "50 results at each client");
        // A second batch sent after the first has arrived everywhere: had either client been sent the first one
        // twice (through the backplane as well), its count would be past 50 before this one is counted.
        await _redis.Connection.GetSubscriber().PublishAsync(RedisChannel.Literal(StreamNames.Results), ResultSummaryBatch.Serialize(results[..1]));
        await Eventually.WaitForAsync(() => Task.FromResult(onA.ResultCount + onB.ResultCount), n => n >= 102, Timeout, "the last result at each client");
        Assert.Equal((51, 51), (onA.ResultCount, onB.ResultCount));
        Assert.Equal(results.Select(r => r.MessageId).Append("m0"), onB.Updates.SelectMany(u => u.Update.Results).Select(r => r.MessageId));
    }
}
