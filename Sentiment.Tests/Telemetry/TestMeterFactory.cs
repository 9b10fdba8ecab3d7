using System.Diagnostics.Metrics;

namespace Sentiment.Tests.Telemetry;

/// <summary>An <see cref="IMeterFactory"/> for classes built by hand in a test; its meters are scoped to it, so a <see cref="MetricRecorder"/> can tell them apart.</summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }

            _meters.Clear();
        }
    }
}
