namespace Sentiment.Ingest.Publishing;

/// <summary>Redis could not take the messages; none of them was published. The client should retry.</summary>
public sealed class StreamUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
