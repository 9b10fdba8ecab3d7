using System.ComponentModel.DataAnnotations;
using Sentiment.Streams;

namespace Sentiment.Notifier;

/// <summary>
/// How the notifier reads <c>sentiment:alerts</c> through the group <c>sentiment-notifiers</c>, bound from the
/// <c>Notifier</c> section. The consumer-group settings are <see cref="ConsumerGroupOptions"/>'s, as the worker's are;
/// its retry delays are the backoff while PostgreSQL is down (the delivery records are what keeps a redelivered alert
/// from being sent twice). Where alerts go, and how each channel retries, is the <c>Notifications</c> section.
/// </summary>
public sealed class NotifierOptions : ConsumerGroupOptions
{
    public const string SectionName = "Notifier";

    public NotifierOptions()
    {
        PollInterval = TimeSpan.FromMilliseconds(500);
        // A live notifier touches the alerts it is delivering every ClaimInterval, however long their retries take,
        // so only a stopped or stalled one loses them to another replica.
        ClaimMinIdle = TimeSpan.FromMinutes(1);
        ClaimInterval = TimeSpan.FromSeconds(15);
    }

    /// <summary>
    /// Alerts one notifier delivers at a time (all channels). Beyond it the notifier reads no more from
    /// <c>sentiment:alerts</c> until one is finished; the others wait in the stream, for this or another replica.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxInFlight { get; set; } = 100;
}
