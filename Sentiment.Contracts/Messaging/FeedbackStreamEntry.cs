using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using StackExchange.Redis;

namespace Sentiment.Contracts.Messaging;

/// <summary>
/// The codec between <see cref="FeedbackMessage"/> and the fields of a <see cref="StreamNames.Input"/> entry,
/// shared by everything that writes or reads the stream so the field names live in one place.
/// </summary>
public static class FeedbackStreamEntry
{
    public const string IdField = "id";
    public const string TimestampField = "timestamp";
    public const string SourceField = "source";
    public const string TextField = "text";
    public const string MetadataField = "metadata";
    public const string IngestedAtField = "ingested_at";
    public const string TraceParentField = "traceparent";
    public const string TraceStateField = "tracestate";

    public static NameValueEntry[] ToFields(FeedbackMessage message)
    {
        var fields = new List<NameValueEntry>(8)
        {
            new(IdField, message.Id),
            new(TimestampField, Iso8601.Format(message.Timestamp)),
            new(SourceField, message.Source),
            new(TextField, message.Text),
        };
        if (message.Metadata is not null)
        {
            fields.Add(new(MetadataField, message.Metadata));
        }

        fields.Add(new(IngestedAtField, Iso8601.Format(message.IngestedAt)));
        if (message.TraceParent is not null)
        {
            fields.Add(new(TraceParentField, message.TraceParent));
        }

        if (message.TraceState is not null)
        {
            fields.Add(new(TraceStateField, message.TraceState));
        }

        return [.. fields];
    }

    /// <summary>
    /// Reads a stream entry. Entries that ingest did not write (or that were written by an older or broken producer)
    /// can be malformed; <paramref name="error"/> then says which field is wrong, for the dead-letter stream.
    /// </summary>
    public static bool TryParse(
        StreamEntry entry,
        [NotNullWhen(true)] out FeedbackMessage? message,
        [NotNullWhen(false)] out string? error)
    {
        message = null;
        string? id = null, timestamp = null, source = null, text = null, metadata = null, ingestedAt = null;
        string? traceParent = null, traceState = null;
        foreach (var field in entry.Values)
        {
            switch ((string?)field.Name)
            {
                case IdField: id = field.Value; break;
                case TimestampField: timestamp = field.Value; break;
                case SourceField: source = field.Value; break;
                case TextField: text = field.Value; break;
                case MetadataField: metadata = field.Value; break;
                case IngestedAtField: ingestedAt = field.Value; break;
                case TraceParentField: traceParent = field.Value; break;
                case TraceStateField: traceState = field.Value; break;
                default: break; // Fields added by later producers are ignored, not fatal.
            }
        }

        if (Breaks(id, FeedbackRules.IdError, IdField, out error))
        {
            return false;
        }

        if (!Iso8601.TryParse(timestamp, out var time))
        {
            error = $"Field '{TimestampField}' is missing or not an ISO-8601 time.";
            return false;
        }

        if (Breaks(source, FeedbackRules.SourceError, SourceField, out error)
            || Breaks(text, value => FeedbackRules.TextError(value.Trim()), TextField, out error))
        {
            return false;
        }

        if (metadata is not null && MetadataError(metadata) is { } metadataError)
        {
            error = $"Field '{MetadataField}': {metadataError}";
            return false;
        }

        if (!Iso8601.TryParse(ingestedAt, out var ingested))
        {
            error = $"Field '{IngestedAtField}' is missing or not an ISO-8601 time.";
            return false;
        }

        message = new FeedbackMessage(id, time, source, text, metadata, ingested)
        {
            TraceParent = traceParent,
            TraceState = traceState,
        };
        error = null;
        return true;
    }

    /// <summary>Whether a field is missing or breaks its rule (<see cref="FeedbackRules"/>); the error names the field.</summary>
    private static bool Breaks(
        [NotNullWhen(false)] string? value, Func<string, string?> rule, string field, [NotNullWhen(true)] out string? error)
    {
        var broken = value is null ? "missing." : rule(value);
        error = broken is null ? null : $"Field '{field}': {broken}";
        return broken is not null;
    }

    private static string? MetadataError(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = FeedbackRules.MaxMetadataDepth + 1 });
            return FeedbackRules.MetadataError(document.RootElement);
        }
        catch (JsonException)
        {
            return "The metadata is not JSON, or nested too deep.";
        }
    }
}
