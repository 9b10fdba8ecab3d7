using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Sentiment.Worker.Telemetry;

/// <summary>The worker's ActivitySource and Meter, named after the service so ServiceDefaults exports them.</summary>
public sealed class WorkerTelemetry
{
    public const string Name = "Sentiment.Worker";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Counter<long> _processed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _deadLettered;

    public WorkerTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _processed = meter.CreateCounter<long>(
            "sentiment.worker.messages.processed", "{message}", "Messages classified and stored (or found already stored).");
        _failed = meter.CreateCounter<long>(
            "sentiment.worker.messages.failed", "{message}", "Deliveries that failed because of the message.");
        _deadLettered = meter.CreateCounter<long>(
            "sentiment.worker.messages.dead_lettered", "{message}", "Messages moved to sentiment:dead-letter.");
    }

    public void RecordProcessed(int count) => _processed.Add(count);

    public void RecordFailed(int count) => _failed.Add(count);

    public void RecordDeadLettered(int count) => _deadLettered.Add(count);
}
