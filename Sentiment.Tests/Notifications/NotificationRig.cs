using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Sentiment.Contracts.Alerts;
using Sentiment.Contracts.Messaging;
using Sentiment.Notifier;
using Sentiment.Notifier.Delivery;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;
using Sentiment.Tests.Telemetry;
using Sentiment.Tests.Worker.Support;
using Sentiment.Worker.Alerts;
using Sentiment.Worker.Telemetry;
using StackExchange.Redis;

namespace Sentiment.Tests.Notifications;

/// <summary>
/// The worker's notification services on their own, on a fresh Redis database and results database: one notifier
/// started with the rig, and more (other replicas, or the same worker restarted) on demand.
/// </summary>
public sealed class NotificationRig : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly WorkerTelemetry Telemetry = new(new TestMeterFactory());

    /// <summary>Timings shortened so that reads, take-overs and keep-alives happen within a test.</summary>
    public static IReadOnlyDictionary<string, string?> FastTimings { get; } = new Dictionary<string, string?>
    {
        ["Notifier:PollInterval"] = "00:00:00.020",
        ["Notifier:ClaimMinIdle"] = "00:00:01",
        ["Notifier:ClaimInterval"] = "00:00:00.100",
    };

    private readonly RedisTestDatabase _redis;
    private readonly NpgsqlDataSource _dataSource;
    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider? _time;
    private readonly List<IHost> _notifiers = [];
    private readonly LogCapture _log = new();

    private NotificationRig(RedisTestDatabase redis, string databaseConnectionString, Dictionary<string, string?> settings, TimeProvider? time)
    {
        _redis = redis;
        DatabaseConnectionString = databaseConnectionString;
        _dataSource = NpgsqlDataSource.Create(databaseConnectionString);
        _settings = settings;
        _time = time;
    }

    /// <summary>The first notifier's dispatcher.</summary>
    public NotificationDispatcher Dispatcher => _notifiers[0].Services.GetRequiredService<NotificationDispatcher>();

    public RedisTestDatabase Redis => _redis;

    /// <summary>The results database the notifiers record their attempts in.</summary>
    public string DatabaseConnectionString { get; }

    /// <summary>Everything the notifiers logged, at every level.</summary>
    public IReadOnlyCollection<CapturedLog> Logs => _log.Records;

    /// <summary>Starts the rig with one notifier, consumer <c>notifier-1</c>.</summary>
    public static async Task<NotificationRig> StartAsync(InfrastructureFixture infrastructure, Dictionary<string, string?> settings, TimeProvider? time = null)
    {
        var connectionString = await infrastructure.CreateMigratedDatabaseAsync();
        var rig = new NotificationRig(await RedisTestDatabase.CreateAsync(infrastructure), connectionString, settings, time);
        await rig.StartNotifierAsync("notifier-1");
        return rig;
    }

    /// <summary>
    /// Starts another notifier on the same Redis and database: another replica, or, under a stopped one's name,
    /// that worker restarted. <paramref name="overrides"/> change the rig's settings for this one.
    /// </summary>
    public async Task<NotificationDispatcher> StartNotifierAsync(string consumerName, Dictionary<string, string?>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(FastTimings);
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.Configuration.AddInMemoryCollection(overrides ?? []);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Notifier:ConsumerName"] = consumerName });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(_log);
        builder.Services.AddSingleton(_dataSource);
        builder.Services.AddSingleton<IConnectionMultiplexer>(_redis.Connection);
        if (_time is not null)
        {
            builder.Services.AddSingleton(_time);
        }

        builder.AddNotifications();
        var host = builder.Build();
        await host.StartAsync();
        _notifiers.Add(host);
        return host.Services.GetRequiredService<NotificationDispatcher>();
    }

    /// <summary>Stops a notifier as a worker's shutdown would: what it holds stays pending in the group.</summary>
    public async Task StopNotifierAsync(int index)
    {
        await _notifiers[index].StopAsync();
    }

    /// <summary>Stores the alert (attempts refer to it) and publishes it on the stream, as the worker does.</summary>
    public async Task RaiseAsync(Alert alert)
    {
        await new AlertWriter(_dataSource).StoreAsync([alert], CancellationToken.None);
        await new AlertPublisher(_redis.Connection, Telemetry).PublishAsync([alert]);
    }

    public async Task<List<RecordedAttempt>> AttemptsAsync()
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT alert_id, channel, attempt, outcome, error FROM notification_attempts ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var attempts = new List<RecordedAttempt>();
        while (await reader.ReadAsync())
        {
            attempts.Add(new RecordedAttempt(
                reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return attempts;
    }

    public async Task<List<RecordedDelivery>> DeliveriesAsync()
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT alert_id, channel, outcome, attempts FROM notification_deliveries ORDER BY alert_id, channel");
        await using var reader = await command.ExecuteReaderAsync();
        var deliveries = new List<RecordedDelivery>();
        while (await reader.ReadAsync())
        {
            deliveries.Add(new RecordedDelivery(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3)));
        }

        return deliveries;
    }

    public Task<List<RecordedAttempt>> WaitForAttemptsAsync(Func<List<RecordedAttempt>, bool> isDone, string awaited) =>
        Eventually.WaitForAsync(AttemptsAsync, isDone, Timeout, awaited);

    /// <summary>Entries of the notifiers' group delivered to a notifier and not acknowledged.</summary>
    public async Task<long> PendingCountAsync() =>
        (await _redis.Database.StreamPendingAsync(StreamNames.Alerts, StreamNames.NotifierGroup)).PendingMessageCount;

    /// <summary>The entries pending in the notifiers' group (XPENDING), each with the consumer that holds it.</summary>
    public async Task<StreamPendingMessageInfo[]> PendingEntriesAsync() =>
        await _redis.Database.StreamPendingMessagesAsync(StreamNames.Alerts, StreamNames.NotifierGroup, 100, RedisValue.Null);

    /// <summary>The consumers of the notifiers' group (XINFO CONSUMERS), in Redis's order.</summary>
    public async Task<List<string>> ConsumerNamesAsync() =>
        [.. (await _redis.Database.StreamConsumerInfoAsync(StreamNames.Alerts, StreamNames.NotifierGroup)).Select(consumer => consumer.Name)];

    /// <summary>True once the notifiers' group has read every alert entry and acknowledged all of them.</summary>
    public async Task<bool> IsDrainedAsync()
    {
        var group = (await _redis.Database.StreamGroupInfoAsync(StreamNames.Alerts)).Single(g => g.Name == StreamNames.NotifierGroup);
        var last = await _redis.Database.StreamRangeAsync(StreamNames.Alerts, "-", "+", count: 1, messageOrder: Order.Descending);
        return group.PendingMessageCount == 0 && last.Length == 1 && group.LastDeliveredId == last[0].Id;
    }

    public Task WaitUntilDrainedAsync(string awaited) =>
        Eventually.WaitForAsync(IsDrainedAsync, drained => drained, Timeout, awaited);

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _notifiers)
        {
            await host.StopAsync();
            host.Dispose();
        }

        await _dataSource.DisposeAsync();
        await _redis.DisposeAsync();
    }
}

public sealed record RecordedAttempt(Guid AlertId, string Channel, int Attempt, string Outcome, string? Error);

public sealed record RecordedDelivery(Guid AlertId, string Channel, string Outcome, int Attempts);
