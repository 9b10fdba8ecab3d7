using Microsoft.Extensions.Options;
using Sentiment.Contracts.Messaging;
using StackExchange.Redis;

namespace Sentiment.Worker.Telemetry;

/// <summary>
/// Reads the consumer group's lag and pending count (XINFO GROUPS) every <see cref="WorkerOptions.ConsumerMetricsInterval"/>
/// for the <c>sentiment.worker.consumer.*</c> gauges. Sampling on a timer rather than on each collection keeps Redis
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

    /// <summary>Reads the group once and hands the result to the gauges; while Redis cannot answer they report nothing rather than stale figures.</summary>
    public async Task SampleAsync()
    {
        try
        {
            var groups = await redis.GetDatabase().StreamGroupInfoAsync(StreamNames.Input);
            var group = groups.FirstOrDefault(info => info.Name == StreamNames.ConsumerGroup);
            telemetry.ReportConsumerGroup(group.Name is null ? null : new ConsumerGroupSample(group.Lag, group.PendingMessageCount));
        }
        catch (Exception exception)
        {
            // No stream yet (ERR no such key), or Redis away (the health check reports outages). Whatever it is, a
            // metric is not worth stopping the worker for.
            telemetry.ReportConsumerGroup(null);
            logger.LogDebug("Could not read the consumer group of {Stream}: {Error}", StreamNames.Input, exception.Message);
        }
    }
}
