using System.Diagnostics;
using Sentiment.Core.Alerts;
using Sentiment.Core.Messaging;
using Sentiment.ServiceDefaults.Telemetry;
using StackExchange.Redis;

namespace Sentiment.Worker.Alerts;

/// <summary>Appends alerts to <c>sentiment:alerts</c>, where the dashboard follows them.</summary>
public sealed class AlertPublisher(IConnectionMultiplexer redis)
{
    // Alerts are few; a cap keeps a runaway rule from filling Redis. The table keeps every alert.
    private const int MaxLength = 100_000;

    /// <param name="trace">The span that raised the alert; its context goes in the entry's traceparent and tracestate.</param>
    public async Task PublishAsync(Alert alert, ActivityContext trace)
    {
        var (traceParent, traceState) = StreamTraceContext.Inject(trace);
        await redis.GetDatabase().StreamAddAsync(
            StreamNames.Alerts, AlertStreamEntry.ToFields(alert, traceParent, traceState), maxLength: MaxLength, useApproximateMaxLength: true);
    }
}
