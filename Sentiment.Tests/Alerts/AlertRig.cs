using Microsoft.Extensions.Time.Testing;
using Sentiment.Contracts;
using Sentiment.Contracts.Alerts;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Worker.Support;
using Sentiment.Worker.Alerts;
using StackExchange.Redis;

namespace Sentiment.Tests.Alerts;

/// <summary>
/// Alert evaluators as separate workers would hold them: each with its own Redis connection, all sharing one Redis
/// database and one fake clock, so tests move time on instead of sleeping.
/// </summary>
public sealed class AlertRig : IAsyncDisposable
{
    private readonly List<ConnectionMultiplexer> _connections = [];

    private AlertRig(RedisTestDatabase redis, AlertOptions options)
    {
        Redis = redis;
        Options = options;
    }

    public RedisTestDatabase Redis { get; }

    public AlertOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 15, 10, 0, 0, TimeSpan.Zero));

    public static async Task<AlertRig> CreateAsync(InfrastructureFixture infrastructure, Action<AlertOptions>? configure = null)
    {
        var options = new AlertOptions { DashboardBaseUrl = "http://dashboard.test:5081/" };
        configure?.Invoke(options);
        return new AlertRig(await RedisTestDatabase.CreateAsync(infrastructure), options);
    }

    /// <summary>A new evaluator on a new connection: another worker, or the same worker after a restart.</summary>
    public async Task<AlertEvaluator> NewWorkerAsync()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
        _connections.Add(connection);
        return new AlertEvaluator(connection, Microsoft.Extensions.Options.Options.Create(Options), Time);
    }

    /// <summary>Closes a worker's connection, as a stopped worker would.</summary>
    public async Task StopWorkerAsync(int index)
    {
        await _connections[index].CloseAsync();
    }

    /// <summary>
    /// Two workers taking turns over the batches concurrently, as two replicas reading one consumer group would.
    /// </summary>
    public static async Task<List<Alert>> ShareAsync(AlertEvaluator first, AlertEvaluator second, IEnumerable<AlertCandidate> messages, int batchSize = 7)
    {
        var batches = messages.Chunk(batchSize).ToList();
        var halves = new[]
        {
            batches.Where((_, i) => i % 2 == 0).ToList(),
            batches.Where((_, i) => i % 2 == 1).ToList(),
        };
        var results = await Task.WhenAll(
            RunAsync(first, halves[0]),
            RunAsync(second, halves[1]));
        return [.. results.SelectMany(alerts => alerts)];
    }

    public static async Task<List<Alert>> RunAsync(AlertEvaluator worker, IEnumerable<AlertCandidate[]> batches)
    {
        var alerts = new List<Alert>();
        foreach (var batch in batches)
        {
            alerts.AddRange(await worker.EvaluateAsync(batch, CancellationToken.None));
        }

        return alerts;
    }

    /// <summary>Negative but not very negative, with no user: counts only towards the spike.</summary>
    public static AlertCandidate Negative(string id, string source = "twitter", string? userId = null) =>
        new(id, source, userId, SentimentLabel.Negative, -0.3, $"Message {id}: the delivery was late again.");

    public static IEnumerable<AlertCandidate> Negatives(string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => Negative($"{prefix}-{i:D3}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        await Redis.DisposeAsync();
    }
}
