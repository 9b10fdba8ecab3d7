using Npgsql;
using Sentiment.Core.Alerts;
using Sentiment.Core.Messaging;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Alerts;

/// <summary>The worker raises alerts from what it stores: the real model, Redis and PostgreSQL.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class AlertPipelineTests(InfrastructureFixture infrastructure)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Very_negative_message_through_the_worker_becomes_one_stored_and_published_alert()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var results = await ResultsDatabase.CreateAsync(infrastructure);
        await using var worker = new WorkerApplication(redis.ConnectionString, results.ConnectionString).Start();
        var now = DateTimeOffset.UtcNow;
        const string Text = "Worst purchase ever, the screen cracked after two days and support was rude. I want a refund right now.";

        await redis.PublishAsync(
        [
            new FeedbackMessage("e2e-1", now, "review", Text, """{"user_id":"user123"}""", now),
            new FeedbackMessage("e2e-1", now, "review", Text, """{"user_id":"user123"}""", now), // re-posted copy
        ]);
        await Eventually.WaitForAsync(redis.IsDrainedAsync, drained => drained, Timeout, "both entries acknowledged");

        var alerts = await AlertsAsync(results.ConnectionString);
        var alert = Assert.Single(alerts);
        Assert.Equal((AlertTypes.VeryNegative, "review", "e2e-1", "http://127.0.0.1:5081/messages/e2e-1", Text, AlertStatuses.Active), alert);
        var entry = Assert.Single(await redis.Database.StreamRangeAsync(StreamNames.Alerts));
        var published = AlertStreamEntry.Parse(entry);
        Assert.Equal(AlertTypes.VeryNegative, published.Type);
        Assert.Equal(["e2e-1"], published.MessageIds);
        Assert.InRange(published.Score, -1, -0.5);
    }

    private static async Task<List<(string, string, string, string, string, string)>> AlertsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT type, source, message_ids[1], link, snippet, status FROM alerts", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, string, string, string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)));
        }

        return rows;
    }
}
