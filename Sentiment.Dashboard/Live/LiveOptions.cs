using System.ComponentModel.DataAnnotations;

namespace Sentiment.Dashboard.Live;

/// <summary>The live path, bound from the <c>Live</c> section.</summary>
public sealed class LiveOptions
{
    public const string SectionName = "Live";

    /// <summary>
    /// The shortest time between two batches to one subscriber (a Blazor view or a hub connection): 250 ms, so at
    /// most 4 updates per second reach a browser whatever the input rate.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.250", "00:01:00")]
    public TimeSpan MinBatchInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often <c>sentiment:alerts</c> is polled while it has nothing new.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan AlertPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);
}
