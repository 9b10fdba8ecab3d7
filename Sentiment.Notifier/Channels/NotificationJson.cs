using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sentiment.Notifier.Channels;

internal static class NotificationJson
{
    // Bodies go to machines, not into HTML: keep <, > and & readable (Slack's links are <url|text>).
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
