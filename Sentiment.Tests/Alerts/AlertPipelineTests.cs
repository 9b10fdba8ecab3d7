using System.Security.Cryptography;
using Npgsql;
using Sentiment.Contracts.Alerts;
using Sentiment.Contracts.Messaging;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Notifications;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Alerts;

/// <summary>The worker raises alerts from what it stores: the real model, Redis and PostgreSQL.</summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AlertPipelineTests(InfrastructureFixture infrastructure)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Very_negative_message_through_the_worker_and_the_notifier_becomes_one_stored_published_and_notified_alert()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var results = await ResultsDatabase.CreateAsync(infrastructure);
        await using var receiver = await RecordingHttpServer.StartAsync();
        await using var worker = new WorkerApplication(redis.ConnectionString, results.ConnectionString).Start();
        await using var notifier = new NotifierApplication(redis.ConnectionString, results.ConnectionString).WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Notifications:Webhook:Url", new Uri(receiver.BaseAddress, "/hooks").ToString());
            builder.UseSetting("Notifications:Webhook:Secret", "e2e-secret");
        });
        _ = notifier.Services;
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
        var request = (await Eventually.WaitForAsync(
            () => Task.FromResult(receiver.Requests.ToArray()), requests => requests.Length >= 1, Timeout, "the webhook notification")).Single();
        Assert.Equal(
            "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("e2e-secret"u8, request.Body)),
            request.Headers["X-Sentiment-Signature"]);
        var notified = System.Text.Json.JsonSerializer.Deserialize<Alert>(request.BodyText, AlertStreamEntry.Json)!;
        Assert.Equal(published.Id, notified.Id);
        Assert.Equal(Text, notified.Snippet);
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
