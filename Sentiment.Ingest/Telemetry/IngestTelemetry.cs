using System.Diagnostics;
using System.Diagnostics.Metrics;
using Sentiment.Core.Messaging;

namespace Sentiment.Ingest.Telemetry;

/// <summary>The ingest service's ActivitySource and Meter, named after the service so ServiceDefaults exports them.</summary>
public sealed class IngestTelemetry
{
    public const string Name = "Sentiment.Ingest";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Counter<long> _ingested;
    private readonly Counter<long> _rejected;

    public IngestTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _ingested = meter.CreateCounter<long>(
            "sentiment.ingest.messages", "{message}", "Messages accepted and published to sentiment:input.");
        _rejected = meter.CreateCounter<long>(
            "sentiment.ingest.rejected_requests", "{request}", "Requests refused, by HTTP status code.");
    }

    public void RecordPublished(IReadOnlyList<FeedbackMessage> messages)
    {
        foreach (var group in messages.GroupBy(message => message.Source))
        {
            _ingested.Add(group.Count(), new KeyValuePair<string, object?>("sentiment.source", group.Key));
        }
    }

    public void RecordRejected(int statusCode) =>
        _rejected.Add(1, new KeyValuePair<string, object?>("http.response.status_code", statusCode));
}
