using System.Text.Json;

namespace Sentiment.Contracts.Messaging;

/// <summary>
/// A stored result as workers announce it on <see cref="StreamNames.Results"/>: what live views need, never the
/// message text (the channel is readable by anyone who can reach Redis, and the text is the bulk of a row).
/// </summary>
/// <param name="Timestamp">When the feedback was written (the row's <c>timestamp</c>).</param>
/// <param name="Label"><c>positive</c>, <c>neutral</c> or <c>negative</c>.</param>
/// <param name="Score">P(positive) − P(negative), in [-1, 1].</param>
/// <param name="ProcessedAt">When the worker stored it.</param>
public sealed record ResultSummary(
    string MessageId,
    DateTimeOffset Timestamp,
    string Source,
    string Label,
    double Score,
    string? Topic,
    IReadOnlyList<string> Keywords,
    DateTimeOffset ProcessedAt);

/// <summary>The body of one message on <see cref="StreamNames.Results"/>: a stored batch, as compact camelCase JSON.</summary>
public static class ResultSummaryBatch
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static string Serialize(IReadOnlyList<ResultSummary> results) =>
        JsonSerializer.Serialize(new Body(results), s_json);

    /// <exception cref="JsonException">The body is not a batch of results.</exception>
    public static IReadOnlyList<ResultSummary> Parse(string json) =>
        JsonSerializer.Deserialize<Body>(json, s_json)?.Results
        ?? throw new JsonException($"A message on {StreamNames.Results} holds no results.");

    private sealed record Body(IReadOnlyList<ResultSummary> Results);
}
