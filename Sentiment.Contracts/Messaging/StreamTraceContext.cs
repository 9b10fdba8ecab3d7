using System.Diagnostics;
using OpenTelemetry.Context.Propagation;
using StackExchange.Redis;

namespace Sentiment.Contracts.Messaging;

/// <summary>
/// W3C trace context in the fields of a Redis stream entry (<c>traceparent</c>, <c>tracestate</c>), written and read
/// through OpenTelemetry's configured propagator, so a trace continues across <c>sentiment:input</c> and
/// <c>sentiment:alerts</c>. Baggage is not carried.
/// </summary>
public static class StreamTraceContext
{
    public const string TraceParentField = "traceparent";
    public const string TraceStateField = "tracestate";

    /// <returns>The fields that carry <paramref name="context"/>; both null when it is not a valid context.</returns>
    public static (string? TraceParent, string? TraceState) Inject(ActivityContext context)
    {
        if (context == default)
        {
            return (null, null);
        }

        var fields = new Dictionary<string, string>(2, StringComparer.Ordinal);
        Propagators.DefaultTextMapPropagator.Inject(
            new PropagationContext(context, default), fields, static (carrier, key, value) => carrier[key] = value);
        return (
            fields.GetValueOrDefault(TraceParentField),
            fields.TryGetValue(TraceStateField, out var state) && state.Length > 0 ? state : null);
    }

    /// <returns>The context an entry carries, or <c>default</c> when it carries none (or a malformed one).</returns>
    public static ActivityContext Extract(StreamEntry entry) =>
        Propagators.DefaultTextMapPropagator.Extract(default, entry, static (carrier, key) =>
        {
            var value = carrier[key];
            return value.IsNullOrEmpty ? [] : [(string)value!];
        }).ActivityContext;
}
