namespace Sentiment.Ingest.Api;

/// <summary>The ids of the accepted messages, in request order.</summary>
public sealed record IngestResponse(IReadOnlyList<string> Ids);
