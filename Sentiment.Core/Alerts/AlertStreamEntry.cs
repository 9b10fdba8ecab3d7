using System.Text.Json;
using StackExchange.Redis;

namespace Sentiment.Core.Alerts;

/// <summary>
/// An alert on <c>sentiment:alerts</c>: its id, type and severity as fields (to filter without parsing) and the
/// whole alert as camelCase JSON in <c>alert</c>.
/// </summary>
public static class AlertStreamEntry
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static NameValueEntry[] ToFields(Alert alert) =>
    [
        new("id", alert.Id.ToString()),
        new("type", alert.Type),
        new("severity", alert.Severity),
        new("alert", JsonSerializer.Serialize(alert, Json)),
    ];

    public static Alert Parse(StreamEntry entry) =>
        JsonSerializer.Deserialize<Alert>((string)entry["alert"]!, Json)
        ?? throw new JsonException($"Entry {entry.Id} of {Messaging.StreamNames.Alerts} holds no alert.");
}
