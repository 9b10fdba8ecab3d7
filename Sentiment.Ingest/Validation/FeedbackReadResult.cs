using Sentiment.Contracts.Messaging;

namespace Sentiment.Ingest.Validation;

/// <summary>The messages of a request, or, when any item is invalid, the errors by field and none of the messages.</summary>
public sealed class FeedbackReadResult
{
    private FeedbackReadResult(IReadOnlyList<FeedbackMessage> messages, bool isBatch, Dictionary<string, string[]> errors)
    {
        Messages = messages;
        IsBatch = isBatch;
        Errors = errors;
    }

    public IReadOnlyList<FeedbackMessage> Messages { get; }

    /// <summary>Whether the body was an array, so fields are named <c>[3].text</c> rather than <c>text</c>.</summary>
    public bool IsBatch { get; }

    /// <summary>Error messages keyed by field: <c>text</c> for a single message, <c>[3].text</c> in a batch, <c>$</c> for the body.</summary>
    public Dictionary<string, string[]> Errors { get; }

    public bool IsValid => Errors.Count == 0;

    public static FeedbackReadResult Valid(IReadOnlyList<FeedbackMessage> messages, bool isBatch) => new(messages, isBatch, []);

    public static FeedbackReadResult Invalid(Dictionary<string, string[]> errors) => new([], false, errors);
}
