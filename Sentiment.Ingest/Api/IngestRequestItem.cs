using System.Text.Json;

namespace Sentiment.Ingest.Api;

/// <summary>
/// One message of a request, in the original design's format. Documents the request body in the OpenAPI document;
/// the body itself is read by <see cref="Validation.FeedbackRequestReader"/> so each error can name its field and index.
/// </summary>
public sealed record IngestRequestItem(string? Id, DateTimeOffset? Timestamp, string Source, string Text, JsonElement? Metadata);
