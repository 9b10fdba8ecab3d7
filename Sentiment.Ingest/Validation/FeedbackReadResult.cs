using Sentiment.Contracts.Messaging;

namespace Sentiment.Ingest.Validation;

/// <summary>The messages of a request, or, when any item is invalid, the errors by field and none of the messages.</summary>
public sealed class FeedbackReadResult
{
    private FeedbackReadResult(IReadOnlyList<FeedbackMessage> messages, Dictionary<string, string[]> errors)
    {
        Messages = messages;
        Errors = errors;
    }

    public IReadOnlyList<FeedbackMessage> Messages { get; }

    /// <summary>Error messages keyed by field: <c>text</c> for a single message, <c>[3].text</c> in a batch, <c>$</c> for the body.</summary>
    public Dictionary<string, string[]> Errors { get; }

    public bool IsValid => Errors.Count == 0;

    public static FeedbackReadResult Valid(IReadOnlyList<FeedbackMessage> messages) => new(messages, []);

    public static FeedbackReadResult Invalid(Dictionary<string, string[]> errors) => new([], errors);
}
