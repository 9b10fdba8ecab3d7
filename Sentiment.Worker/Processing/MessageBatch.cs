using Sentiment.Contracts.Messaging;
using StackExchange.Redis;

namespace Sentiment.Worker.Processing;

/// <summary>
/// Entries read together: new ones (XREADGROUP &gt;), or <paramref name="Claimed"/> ones delivered before: taken over
/// from idle consumers (XAUTOCLAIM) or resumed from this consumer's own pending list after a restart.
/// </summary>
/// <param name="Claimed">Delivered before, so their delivery counts are checked against <c>Worker:MaxDeliveries</c>.</param>
public sealed record MessageBatch(StreamEntry[] Entries, bool Claimed);

/// <summary>An entry that parsed into a message.</summary>
public sealed record ReceivedMessage(StreamEntry Entry, FeedbackMessage Message)
{
    public string StreamId => Entry.Id!;
}

/// <summary>An entry whose delivery failed, and why (never its text); its source when it could be read.</summary>
public sealed record FailedMessage(StreamEntry Entry, string Error, string? Source = null);
