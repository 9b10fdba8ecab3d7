using System.Text.Json;
using StackExchange.Redis;

namespace Sentiment.Contracts.Alerts;

/// <summary>
/// An alert on <c>sentiment:alerts</c>: its id, type and severity as fields (to filter without parsing), the
/// whole alert as camelCase JSON in <c>alert</c>, and the W3C trace context of the span that raised it.
/// </summary>
public static class AlertStreamEntry
{
    /// <summary>W3C <c>traceparent</c> of the span that raised the alert; a reader's own span takes it as parent.</summary>
    public const string TraceParentField = "traceparent";

    /// <summary>W3C <c>tracestate</c>; absent when empty.</summary>
    public const string TraceStateField = "tracestate";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static NameValueEntry[] ToFields(Alert alert, string? traceParent = null, string? traceState = null)
    {
        var fields = new List<NameValueEntry>(6)
        {
            new("id", alert.Id.ToString()),
            new("type", alert.Type),
            new("severity", alert.Severity),
            new("alert", JsonSerializer.Serialize(alert, Json)),
        };
        if (!string.IsNullOrEmpty(traceParent))
        {
            fields.Add(new(TraceParentField, traceParent));
        }

        if (!string.IsNullOrEmpty(traceState))
        {
            fields.Add(new(TraceStateField, traceState));
        }

        return [.. fields];
    }

    public static Alert Parse(StreamEntry entry) =>
        JsonSerializer.Deserialize<Alert>((string)entry["alert"]!, Json)
        ?? throw new JsonException($"Entry {entry.Id} of {Messaging.StreamNames.Alerts} holds no alert.");
}
