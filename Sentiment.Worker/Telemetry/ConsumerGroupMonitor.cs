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
            var database = redis.GetDatabase();
            var groups = await database.StreamGroupInfoAsync(StreamNames.Input);
            var group = groups.FirstOrDefault(info => info.Name == StreamNames.ConsumerGroup);
            if (group.Name is null)
            {
                telemetry.ReportConsumerGroup(null);
                return;
            }

            var stream = await database.StreamInfoAsync(StreamNames.Input);
            telemetry.ReportConsumerGroup(new ConsumerGroupSample(UndeliveredCount(group, stream), group.PendingMessageCount));
        }
        catch (Exception exception)
        {
            // No stream yet (ERR no such key), or Redis away (the health check reports outages). Whatever it is, a
            // metric is not worth stopping the worker for.
            telemetry.ReportConsumerGroup(null);
            logger.LogDebug("Could not read the consumer group of {Stream}: {Error}", StreamNames.Input, exception.Message);
        }
    }

    /// <summary>
    /// Entries not yet delivered to the group. Redis's own lag (entries added minus entries read) is not to be trusted
    /// on its own: after a restart it was seen to report 26,312 while the group had been handed every entry. So the lag
    /// is 0 when the group was last handed the stream's newest entry, and never more than the stream holds (ingest
    /// caps nothing, and the trimmer keeps every entry a group has not acknowledged).
    /// </summary>
    private static long? UndeliveredCount(StreamGroupInfo group, StreamInfo stream)
    {
        if (group.LastDeliveredId == (string?)stream.LastGeneratedId)
        {
            return 0;
        }

        return group.Lag is { } lag ? Math.Min(lag, stream.Length) : null;
    }
}
