using Sentiment.Core.Alerts;
using Sentiment.Core.Messaging;
using StackExchange.Redis;

namespace Sentiment.Worker.Alerts;

/// <summary>Appends alerts to <c>sentiment:alerts</c>, where the dashboard follows them.</summary>
public sealed class AlertPublisher(IConnectionMultiplexer redis)
{
    // Alerts are few; a cap keeps a runaway rule from filling Redis. The table keeps every alert.
    private const int MaxLength = 100_000;

    public async Task PublishAsync(IReadOnlyList<Alert> alerts)
    {
        var database = redis.GetDatabase();
        foreach (var alert in alerts)
        {
            await database.StreamAddAsync(StreamNames.Alerts, AlertStreamEntry.ToFields(alert), maxLength: MaxLength, useApproximateMaxLength: true);
        }
    }
}
