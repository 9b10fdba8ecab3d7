using System.Diagnostics.Metrics;
using Sentiment.Contracts;
using Sentiment.Contracts.Messaging;
using Sentiment.Worker.Storage;
using Sentiment.Worker.Telemetry;
using StackExchange.Redis;

namespace Sentiment.Worker.Publishing;

/// <summary>
/// Announces each stored batch on the pub/sub channel <c>sentiment:results</c>, one message per batch, for the
/// dashboards' live views: a summary per message (<see cref="ResultSummary"/>), never its text.
/// </summary>
/// <remarks>
/// Best effort by design: the rows are committed before this runs and PostgreSQL is the record, so a failed
/// announcement is logged and counted (<c>sentiment.worker.results.publish_failures</c>) and the batch goes on to
/// its alerts and acknowledgement; the dashboards show the rows on their next query. A batch redelivered after a
/// crash is announced again (at least once).
/// </remarks>
public sealed class ResultPublisher
{
    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger<ResultPublisher> _logger;
    private readonly Counter<long> _failures;

    public ResultPublisher(IConnectionMultiplexer redis, IMeterFactory meterFactory, ILogger<ResultPublisher> logger)
    {
        _redis = redis;
        _logger = logger;
        _failures = meterFactory.Create(WorkerTelemetry.Name).CreateCounter<long>(
            "sentiment.worker.results.publish_failures", "{batch}", "Stored batches whose announcement on sentiment:results failed.");
    }

    public async Task PublishAsync(IReadOnlyList<StoredResult> stored)
    {
        if (stored.Count == 0)
        {
            return;
        }

        var summaries = new ResultSummary[stored.Count];
        for (var i = 0; i < summaries.Length; i++)
        {
            var (received, prediction, topic, processedAt, _) = stored[i];
            var message = received.Message;
            summaries[i] = new ResultSummary(
                message.Id,
                message.Timestamp.ToUniversalTime(),
                message.Source,
                SentimentLabels.Name(prediction.Label),
                prediction.Score,
                topic.Topic,
                topic.Keywords,
                processedAt.ToUniversalTime());
        }

        try
        {
            await _redis.GetSubscriber().PublishAsync(RedisChannel.Literal(StreamNames.Results), ResultSummaryBatch.Serialize(summaries));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            _failures.Add(1);
            _logger.LogWarning(
                "Could not announce {Count} stored results on {Channel} ({Error}); they are stored, and dashboards will show them on their next query",
                stored.Count, StreamNames.Results, exception.Message);
        }
    }
}
