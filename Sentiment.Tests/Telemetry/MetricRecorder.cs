using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Sentiment.Tests.Telemetry;

/// <summary>
/// Keeps every measurement of the Sentiment meters created by the given meter factories (one per host under test),
/// so instruments of the same name in other hosts of the test process are left out.
/// </summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<RecordedMeasurement> _measurements = new();

    public MetricRecorder(params IMeterFactory[] scopes)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("Sentiment.", StringComparison.Ordinal) && scopes.Contains(instrument.Meter.Scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Every measurement of <paramref name="instrument"/> so far.</summary>
    public IReadOnlyList<RecordedMeasurement> Of(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument)];

    /// <summary>The sum of a counter's (or a histogram's) values, optionally only those with the tag <paramref name="key"/> = <paramref name="value"/>.</summary>
    public double Sum(string instrument, string? key = null, object? value = null) =>
        Of(instrument).Where(m => key is null || Equals(m.Tag(key), value)).Sum(m => m.Value);

    /// <summary>How many values a histogram recorded.</summary>
    public int Count(string instrument, string? key = null, object? value = null) =>
        Of(instrument).Count(m => key is null || Equals(m.Tag(key), value));

    /// <summary>Calls the observable instruments' callbacks now, as an exporter's collection would.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _measurements.Enqueue(new RecordedMeasurement(instrument.Name, instrument.Unit, value, tags.ToArray()));
}

public sealed record RecordedMeasurement(string Instrument, string? Unit, double Value, KeyValuePair<string, object?>[] Tags)
{
    public object? Tag(string key) => Tags.FirstOrDefault(tag => tag.Key == key).Value;
}
