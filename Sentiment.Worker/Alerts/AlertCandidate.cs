using System.Diagnostics;
using System.Text.Json;
using Sentiment.Contracts;
using Sentiment.Contracts.Messaging;
using Sentiment.Model.Classification;

namespace Sentiment.Worker.Alerts;

/// <summary>A stored message as the alert rules see it.</summary>
public sealed record AlertCandidate(string MessageId, string Source, string? UserId, SentimentLabel Label, double Score, string Text)
{
    public bool IsNegative => Label == SentimentLabel.Negative;

    /// <summary>The span under which the message's alerts are evaluated; an alert it triggers continues that trace.</summary>
    public ActivityContext TraceContext { get; init; }

    public static AlertCandidate From(FeedbackMessage message, SentimentPrediction prediction) =>
        new(message.Id, message.Source, UserIdOf(message.Metadata), prediction.Label, prediction.Score, message.Text);

    /// <summary><c>metadata.user_id</c> when it is a non-empty string or a number; anything else has no user.</summary>
    public static string? UserIdOf(string? metadata)
    {
        if (string.IsNullOrEmpty(metadata))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(metadata);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("user_id", out var userId))
            {
                return null;
            }

            return userId.ValueKind switch
            {
                JsonValueKind.String when userId.GetString() is { Length: > 0 } text => text,
                JsonValueKind.Number => userId.GetRawText(),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null; // Ingest only accepts objects; a stored entry that is not one simply has no user.
        }
    }
}
