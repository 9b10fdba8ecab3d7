using Npgsql;
using Sentiment.Contracts.Messaging;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Worker.Support;
using Sentiment.Worker.Processing;
using StackExchange.Redis;

namespace Sentiment.Tests.Worker;

[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DeadLetterTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private RedisTestDatabase _redis = null!;
    private ResultsDatabase _results = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisTestDatabase.CreateAsync(infrastructure);
        _results = await ResultsDatabase.CreateAsync(infrastructure);
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Malformed_entry_goes_to_dead_letter_with_its_error_after_5_deliveries()
    {
        var now = DateTimeOffset.UtcNow;
        await _redis.PublishAsync([new FeedbackMessage("good-1", now, "twitter", "Works well.", null, now)]);
        var poisonId = await _redis.Database.StreamAddAsync(StreamNames.Input,
        [
            new NameValueEntry("id", "poison-1"),
            new NameValueEntry("timestamp", "not-a-time"),
            new NameValueEntry("source", "twitter"),
            new NameValueEntry("text", "Looks fine, but its timestamp is not one."),
            new NameValueEntry("ingested_at", Iso8601.Format(now)),
        ]);
        await _redis.PublishAsync([new FeedbackMessage("good-2", now, "twitter", "Also fine.", null, now)]);

        await using var worker = new WorkerApplication(_redis.ConnectionString, _results.ConnectionString).Start();

        var deadLetter = (await Eventually.WaitForAsync(
            _redis.DeadLetterEntriesAsync, entries => entries.Length > 0, Timeout, "an entry in the dead-letter stream"))
            .Single();
        var fields = deadLetter.Values.ToDictionary(field => (string)field.Name!, field => (string?)field.Value);
        Assert.Equal("poison-1", fields["id"]);
        Assert.Equal("not-a-time", fields["timestamp"]);
        Assert.Equal("Looks fine, but its timestamp is not one.", fields["text"]);
        Assert.Equal("Field 'timestamp' is missing or not an ISO-8601 time.", fields[DeadLetterEntry.ErrorField]);
        Assert.Equal("5", fields[DeadLetterEntry.DeliveriesField]);
        Assert.Equal(poisonId.ToString(), fields[DeadLetterEntry.StreamIdField]);
        Assert.Equal(worker.ConsumerName, fields[DeadLetterEntry.ConsumerField]);
        await Eventually.WaitForAsync(_redis.IsDrainedAsync, drained => drained, Timeout, "every entry acknowledged, the poison one included");
        Assert.Equal(["good-1", "good-2"], (await _results.RowsAsync()).Select(row => row.MessageId));
    }

    [Fact]
    public async Task Message_the_database_rejects_is_dead_lettered_while_the_rest_of_its_batch_is_stored()
    {
        var now = DateTimeOffset.UtcNow;
        // Every message passes the stream codec, whose rules are ingest's (FeedbackRules), so nothing a client can send
        // makes PostgreSQL refuse a row. A constraint of this test's own stands in for such a refusal: it fails the
        // whole single-statement insert of the batch, and the worker must find the one row to blame.
        await using (var connection = new NpgsqlConnection(_results.ConnectionString))
        {
            await connection.OpenAsync();
            await using var constraint = new NpgsqlCommand(
                "ALTER TABLE sentiment_analysis ADD CONSTRAINT test_refuses_batch_3 CHECK (message_id <> 'batch-3')", connection);
            await constraint.ExecuteNonQueryAsync();
        }

        var messages = Enumerable.Range(0, 6)
            .Select(i => new FeedbackMessage($"batch-{i}", now, "review", $"Review number {i}.", null, now))
            .ToList();
        await _redis.PublishAsync(messages);

        await using var worker = new WorkerApplication(_redis.ConnectionString, _results.ConnectionString).Start();

        var deadLetter = (await Eventually.WaitForAsync(
            _redis.DeadLetterEntriesAsync, entries => entries.Length > 0, Timeout, "an entry in the dead-letter stream"))
            .Single();
        Assert.Equal("batch-3", (string?)deadLetter["id"]);
        Assert.StartsWith("PostgreSQL 23514:", (string?)deadLetter[DeadLetterEntry.ErrorField], StringComparison.Ordinal);
        Assert.Equal("5", (string?)deadLetter[DeadLetterEntry.DeliveriesField]);
        await Eventually.WaitForAsync(_redis.IsDrainedAsync, drained => drained, Timeout, "every entry acknowledged");
        Assert.Equal(["batch-0", "batch-1", "batch-2", "batch-4", "batch-5"], (await _results.RowsAsync()).Select(row => row.MessageId).Order());
    }
}
