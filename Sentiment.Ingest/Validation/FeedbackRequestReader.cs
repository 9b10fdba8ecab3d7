using System.Text.Json;
using Sentiment.Contracts.Messaging;

namespace Sentiment.Ingest.Validation;

/// <summary>
/// Reads a request body (one message object, or an array of them) in the original design's message format
/// and applies the ingest rules to every field, collecting every error rather than stopping at the first.
/// The JSON is walked by hand so each error can name its field and item index exactly.
/// </summary>
public static class FeedbackRequestReader
{
    public const string BodyKey = "$";

    private const string IdProperty = "id";
    private const string TimestampProperty = "timestamp";
    private const string SourceProperty = "source";
    private const string TextProperty = "text";
    private const string MetadataProperty = "metadata";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static FeedbackReadResult Read(ReadOnlyMemory<byte> body, int maxMessages, DateTimeOffset now)
    {
        var errors = new ErrorList();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            errors.Add(BodyKey, body.IsEmpty
                ? "The body is empty; send a message object or an array of message objects."
                : $"The body is not valid JSON: {ex.Message}");
            return FeedbackReadResult.Invalid(errors.ToDictionary());
        }

        using (document)
        {
            var root = document.RootElement;
            var messages = new List<FeedbackMessage>();
            switch (root.ValueKind)
            {
                case JsonValueKind.Object:
                    AddIfValid(messages, ReadMessage(root, prefix: "", now, errors));
                    break;

                case JsonValueKind.Array:
                    var count = root.GetArrayLength();
                    if (count == 0)
                    {
                        errors.Add(BodyKey, "The array is empty; send at least one message.");
                    }
                    else if (count > maxMessages)
                    {
                        errors.Add(BodyKey, $"A request holds at most {maxMessages} messages; this one has {count}.");
                    }
                    else
                    {
                        var index = 0;
                        foreach (var item in root.EnumerateArray())
                        {
                            AddIfValid(messages, ReadMessage(item, prefix: $"[{index}]", now, errors));
                            index++;
                        }
                    }

                    break;

                default:
                    errors.Add(BodyKey, "The body must be a message object or an array of message objects.");
                    break;
            }

            return errors.IsEmpty ? FeedbackReadResult.Valid(messages, root.ValueKind == JsonValueKind.Array) : FeedbackReadResult.Invalid(errors.ToDictionary());
        }
    }

    private static void AddIfValid(List<FeedbackMessage> messages, FeedbackMessage? message)
    {
        if (message is not null)
        {
            messages.Add(message);
        }
    }

    private static FeedbackMessage? ReadMessage(JsonElement item, string prefix, DateTimeOffset now, ErrorList errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(prefix.Length == 0 ? BodyKey : prefix, "Each item must be a message object.");
            return null;
        }

        var errorCount = errors.Count;
        string? id = null, source = null, text = null, metadata = null;
        DateTimeOffset? timestamp = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in item.EnumerateObject())
        {
            if (!TryGetName(property, out var name))
            {
                errors.Add(prefix.Length == 0 ? BodyKey : prefix, "A field name is not valid Unicode.");
                continue;
            }

            var key = prefix.Length == 0 ? name : $"{prefix}.{name}";
            if (!seen.Add(name))
            {
                errors.Add(key, "The field appears more than once.");
                continue;
            }

            var value = property.Value;
            switch (name)
            {
                case IdProperty:
                    id = ReadId(value, key, errors);
                    break;
                case TimestampProperty:
                    timestamp = ReadTimestamp(value, key, errors);
                    break;
                case SourceProperty:
                    source = ReadSource(value, key, errors);
                    break;
                case TextProperty:
                    text = ReadText(value, key, errors);
                    break;
                case MetadataProperty:
                    metadata = ReadMetadata(value, key, errors);
                    break;
                default:
                    errors.Add(key, "Unknown field; a message has id, timestamp, source, text and metadata.");
                    break;
            }
        }

        if (!seen.Contains(SourceProperty))
        {
            errors.Add(prefix.Length == 0 ? SourceProperty : $"{prefix}.{SourceProperty}", "The source is required.");
        }

        if (!seen.Contains(TextProperty))
        {
            errors.Add(prefix.Length == 0 ? TextProperty : $"{prefix}.{TextProperty}", "The text is required.");
        }

        if (errors.Count != errorCount)
        {
            return null;
        }

        return new FeedbackMessage(
            id ?? Guid.CreateVersion7(now).ToString(),
            timestamp ?? now,
            source!,
            text!,
            metadata,
            IngestedAt: now);
    }

    private static string? ReadId(JsonElement value, string key, ErrorList errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null; // A new UUID is chosen.
        }

        if (!TryGetString(value, key, errors, out var id))
        {
            return null;
        }

        if (FeedbackRules.IdError(id) is { } error)
        {
            errors.Add(key, error);
        }

        return id;
    }

    private static DateTimeOffset? ReadTimestamp(JsonElement value, string key, ErrorList errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null; // Defaults to now.
        }

        if (!TryGetString(value, key, errors, out var text))
        {
            return null;
        }

        if (!Iso8601.TryParse(text, out var timestamp))
        {
            errors.Add(key, "The timestamp must be an ISO-8601 time, e.g. 2024-01-15T10:30:00Z.");
            return null;
        }

        return timestamp;
    }

    private static string? ReadSource(JsonElement value, string key, ErrorList errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(key, "The source is required.");
            return null;
        }

        if (!TryGetString(value, key, errors, out var source))
        {
            return null;
        }

        if (FeedbackRules.SourceError(source) is { } error)
        {
            errors.Add(key, error);
        }

        return source;
    }

    private static string? ReadText(JsonElement value, string key, ErrorList errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(key, "The text is required.");
            return null;
        }

        if (!TryGetString(value, key, errors, out var raw))
        {
            return null;
        }

        var text = raw.Trim();
        if (FeedbackRules.TextError(text) is { } error)
        {
            errors.Add(key, error);
        }

        return text;
    }

    private static string? ReadMetadata(JsonElement value, string key, ErrorList errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (FeedbackRules.MetadataError(value) is { } error)
        {
            errors.Add(key, error);
            return null;
        }

        return value.GetRawText();
    }

    private static bool TryGetString(JsonElement value, string key, ErrorList errors, out string text)
    {
        text = "";
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(key, $"Expected a JSON string, not {value.ValueKind.ToString().ToLowerInvariant()}.");
            return false;
        }

        try
        {
            text = value.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            // Escapes that decode to lone UTF-16 surrogates.
            errors.Add(key, "The string is not valid Unicode.");
            return false;
        }
    }

    private static bool TryGetName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }

    private sealed class ErrorList
    {
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

        public int Count { get; private set; }

        public bool IsEmpty => Count == 0;

        public void Add(string key, string message)
        {
            if (!_errors.TryGetValue(key, out var messages))
            {
                _errors[key] = messages = [];
            }

            messages.Add(message);
            Count++;
        }

        public Dictionary<string, string[]> ToDictionary() =>
            _errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
    }
}
