using Sentiment.Contracts.Messaging;
using Sentiment.Tests.Infrastructure;
using StackExchange.Redis;

namespace Sentiment.Tests.Worker.Support;

/// <summary>
/// A Redis logical database of the shared test server, emptied when taken, so the fixed stream names of the pipeline
/// do not collide between tests (tests in the infrastructure collection run one at a time).
/// </summary>
public sealed class RedisTestDatabase : IAsyncDisposable
{
    // 7 and 8 are used by the fixture's own tests.
    private static readonly int[] Databases = [1, 2, 3, 4, 5, 6, 9, 10, 11, 12];
    private static int s_next = -1;

    private RedisTestDatabase(string connectionString, ConnectionMultiplexer connection)
    {
        ConnectionString = connectionString;
        Connection = connection;
    }

    /// <summary>Connection string for the services under test: this database, no admin rights needed.</summary>
    public string ConnectionString { get; }

    public ConnectionMultiplexer Connection { get; }

    public IDatabase Database => Connection.GetDatabase();

    public static async Task<RedisTestDatabase> CreateAsync(InfrastructureFixture infrastructure)
    {
        var number = Databases[(int)((uint)Interlocked.Increment(ref s_next) % Databases.Length)];
        var connectionString = infrastructure.RedisConnectionStringFor(number);
        var connection = await ConnectionMultiplexer.ConnectAsync(connectionString);
        await connection.GetServers().Single().FlushDatabaseAsync(number);
        return new RedisTestDatabase(connectionString, connection);
    }

    public Task<long> InputLengthAsync() => Database.StreamLengthAsync(StreamNames.Input);

    public async Task<StreamEntry[]> InputEntriesAsync() => await Database.StreamRangeAsync(StreamNames.Input);

    public async Task<StreamEntry[]> DeadLetterEntriesAsync() => await Database.StreamRangeAsync(StreamNames.DeadLetter);

    /// <summary>XADDs messages straight to the input stream, as ingest would, in one pipeline.</summary>
    public async Task PublishAsync(IEnumerable<FeedbackMessage> messages)
    {
        var database = Database;
        await Task.WhenAll(messages.Select(message =>
            database.StreamAddAsync(StreamNames.Input, FeedbackStreamEntry.ToFields(message))));
    }

    /// <summary>Entries of the consumer group delivered but not yet acknowledged.</summary>
    public async Task<long> PendingCountAsync() =>
        (await Database.StreamPendingAsync(StreamNames.Input, StreamNames.ConsumerGroup)).PendingMessageCount;

    /// <summary>True once the group has been handed every entry of the stream and has acknowledged all of them.</summary>
    public async Task<bool> IsDrainedAsync()
    {
        var database = Database;
        if (!await database.KeyExistsAsync(StreamNames.Input))
        {
            return false;
        }

        var groups = await database.StreamGroupInfoAsync(StreamNames.Input);
        var group = groups.SingleOrDefault(g => g.Name == StreamNames.ConsumerGroup);
        if (group.Name is null)
        {
            return false;
        }

        var last = await database.StreamRangeAsync(StreamNames.Input, "-", "+", count: 1, messageOrder: Order.Descending);
        return group.PendingMessageCount == 0 && (last.Length == 0 || group.LastDeliveredId == last[0].Id);
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
