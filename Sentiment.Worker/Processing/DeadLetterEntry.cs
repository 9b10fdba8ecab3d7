using Sentiment.Contracts.Messaging;

namespace Sentiment.Worker.Processing;

/// <summary>
/// The fields a worker adds when it moves an entry to <see cref="StreamNames.DeadLetter"/>. The entry keeps all of its
/// original fields as they were (a malformed one included), so it can be inspected and re-published by hand.
/// </summary>
public static class DeadLetterEntry
{
    /// <summary>Why the last delivery failed.</summary>
    public const string ErrorField = "error";

    /// <summary>The entry's id on <see cref="StreamNames.Input"/>.</summary>
    public const string StreamIdField = "stream_id";

    /// <summary>How many times it was delivered.</summary>
    public const string DeliveriesField = "deliveries";

    /// <summary>The consumer that gave up on it.</summary>
    public const string ConsumerField = "consumer";

    /// <summary>When it was moved, ISO-8601 UTC.</summary>
    public const string FailedAtField = "failed_at";

    public static readonly IReadOnlySet<string> Fields =
        new HashSet<string>([ErrorField, StreamIdField, DeliveriesField, ConsumerField, FailedAtField], StringComparer.Ordinal);
}
