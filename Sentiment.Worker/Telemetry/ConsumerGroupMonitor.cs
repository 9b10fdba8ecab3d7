using Microsoft.Extensions.Options;
using Sentiment.Contracts.Messaging;
using StackExchange.Redis;

namespace Sentiment.Worker.Telemetry;

/// <summary>
/// Reads the stream's length and the consumer group's lag and pending count every
/// <see cref="WorkerOptions.ConsumerMetricsInterval"/> for the <c>sentiment.worker.consumer.*</c> and
/// <c>sentiment.worker.stream.length</c> gauges. Sampling on a timer rather than on each collection keeps Redis
/// out of the metric callbacks: any number of scrapes and exporters costs one small command per interval.
/// </summary>
public sealed class ConsumerGroupMonitor(
    IConnectionMultiplexer redis,
    WorkerTelemetry telemetry,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<ConsumerGroupMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ConsumerMetricsInterval, time);
        do
        {
            await SampleAsync();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// Reads the stream and the group once (<see cref="StreamBacklog"/>) and hands the result to the gauges; while Redis
    /// cannot answer they report nothing rather than stale figures. When Redis's own lag counter has gone wrong (the
    /// group was handed the last entry, yet the lag is not 0), it is set right, so that XINFO GROUPS reads true again
    /// for everyone who looks at it.
    /// </summary>
    public async Task SampleAsync()
    {
        try
        {
            var database = redis.GetDatabase();
            var backlog = await StreamBacklog.ReadAsync(database, StreamNames.Input, StreamNames.ConsumerGroup);
            if (backlog.ReadCounterIsOff && await StreamBacklog.RepairReadCounterAsync(database, StreamNames.Input, StreamNames.ConsumerGroup))
            {
                logger.LogInformation(
                    "Redis's count of entries read by {Group} on {Stream} was off (its lag was not 0 with every entry delivered); set right",
                    StreamNames.ConsumerGroup, StreamNames.Input);
            }

            telemetry.ReportConsumerGroup(new ConsumerGroupSample(backlog.Length, backlog.HasGroup ? backlog : null));
        }
        catch (Exception exception)
        {
            // Redis away (the health check reports outages), or not a stream. Whatever it is, a metric is not worth
            // stopping the worker for.
            telemetry.ReportConsumerGroup(null);
            logger.LogDebug("Could not read the consumer group of {Stream}: {Error}", StreamNames.Input, exception.Message);
        }
    }
}
