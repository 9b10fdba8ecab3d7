using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Sentiment.Dashboard.Telemetry;

/// <summary>The dashboard's ActivitySource and Meter, named after the service so ServiceDefaults exports them.</summary>
public sealed class DashboardTelemetry
{
    public const string Name = "Sentiment.Dashboard";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _feedFailures;

    public DashboardTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _connections = meter.CreateUpDownCounter<long>(
            "sentiment.dashboard.signalr.connections", "{connection}", "Connections open to /hubs/sentiment on this instance.");
        _feedFailures = meter.CreateCounter<long>(
            "sentiment.dashboard.live.read_failures", "{failure}", "Failed reads of the live feed from Redis (results, alerts, acknowledgements).");
    }

    public void ConnectionOpened() => _connections.Add(1);

    public void ConnectionClosed() => _connections.Add(-1);

    public void RecordFeedFailure(string feed) => _feedFailures.Add(1, new KeyValuePair<string, object?>("feed", feed));
}
