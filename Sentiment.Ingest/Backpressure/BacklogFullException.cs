namespace Sentiment.Ingest.Backpressure;

/// <summary>
/// The processors are further behind than <see cref="IngestOptions.MaxBacklog"/>; nothing was published. The client
/// should retry later: back-pressure, where a bounded stream would have to drop messages.
/// </summary>
public sealed class BacklogFullException(string message) : Exception(message);
