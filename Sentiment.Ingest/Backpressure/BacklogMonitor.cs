using Microsoft.Extensions.Options;
using Sentiment.Contracts.Messaging;
using Sentiment.Ingest.Telemetry;
using StackExchange.Redis;

namespace Sentiment.Ingest.Backpressure;

/// <summary>
/// Reads the processors' backlog on <see cref="StreamNames.Input"/> every <see cref="IngestOptions.BacklogSampleInterval"/>
/// and keeps the last reading, so that a request asks a field rather than Redis: any number of requests cost one small
/// script per interval. Above <see cref="IngestOptions.MaxBacklog"/> ingest answers 503 with Retry-After.
/// </summary>
public sealed class BacklogMonitor(
    IConnectionMultiplexer redis,
    IngestTelemetry telemetry,
    IOptions<IngestOptions> options,
    TimeProvider time,
    ILogger<BacklogMonitor> logger) : BackgroundService
{
    private readonly IngestOptions _options = options.Value;

    // Null until the first reading and while Redis cannot be read: then nothing is refused for the backlog (a write
    // to an unreachable or full Redis is refused by itself, with its own 503).
    private volatile StreamBacklog? _last;

    /// <summary>The last reading; null before the first one or while Redis cannot be read.</summary>
    public StreamBacklog? Last => _last;

    /// <summary>Whether the last reading was above <see cref="IngestOptions.MaxBacklog"/>.</summary>
    public bool IsFull => _last?.Unacknowledged > _options.MaxBacklog;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.BacklogSampleInterval, time);
        do
        {
            await SampleAsync();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Reads the backlog once.</summary>
    public async Task SampleAsync()
    {
        var wasFull = IsFull;
        try
        {
            // While disconnected a command would wait in the multiplexer's backlog for its timeout.
            _last = redis.IsConnected
                ? await StreamBacklog.ReadAsync(redis.GetDatabase(), StreamNames.Input, StreamNames.ConsumerGroup)
                : null;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            _last = null;
            logger.LogDebug("Could not read the backlog of {Stream}: {Error}", StreamNames.Input, exception.Message);
        }

        telemetry.ReportBacklog(_last?.Unacknowledged);
        if (IsFull != wasFull)
        {
            if (IsFull)
            {
                logger.LogWarning(
                    "The backlog of {Stream} is {Backlog}, above Ingest:MaxBacklog ({MaxBacklog}): answering 503 until it drains",
                    StreamNames.Input, _last?.Unacknowledged, _options.MaxBacklog);
            }
            else
            {
                logger.LogInformation("The backlog of {Stream} is within Ingest:MaxBacklog again: accepting messages", StreamNames.Input);
            }
        }
    }
}
