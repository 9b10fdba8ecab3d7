namespace Sentiment.Core.Messaging;

/// <summary>The Redis keys and group names of the pipeline, as the original design names them.</summary>
public static class StreamNames
{
    public const string Input = "sentiment:input";
    public const string DeadLetter = "sentiment:dead-letter";
    public const string Alerts = "sentiment:alerts";
    public const string ConsumerGroup = "sentiment-processors";

    /// <summary>The workers' group on <see cref="Alerts"/> that sends the notifications.</summary>
    public const string NotifierGroup = "sentiment-notifiers";
}
