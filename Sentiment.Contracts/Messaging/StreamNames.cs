namespace Sentiment.Contracts.Messaging;

/// <summary>The Redis keys and group names of the pipeline, as the original design names them.</summary>
public static class StreamNames
{
    public const string Input = "sentiment:input";
    public const string DeadLetter = "sentiment:dead-letter";
    public const string Alerts = "sentiment:alerts";
    public const string ConsumerGroup = "sentiment-processors";

    /// <summary>The workers' group on <see cref="Alerts"/> that sends the notifications.</summary>
    public const string NotifierGroup = "sentiment-notifiers";

    /// <summary>
    /// Pub/sub channel: each stored batch's <see cref="ResultSummary"/>s, for the dashboards' live view. Pub/sub
    /// rather than a stream because every dashboard instance wants every batch and none needs the past: PostgreSQL
    /// holds it.
    /// </summary>
    public const string Results = "sentiment:results";

    /// <summary>Pub/sub channel: alerts acknowledged on any dashboard instance, so every instance's views follow.</summary>
    public const string AlertAcknowledgements = "sentiment:alert-acks";
}
