using System.Diagnostics;
using Microsoft.Extensions.Options;
using Sentiment.Contracts.Messaging;
using Sentiment.Ingest.Backpressure;
using Sentiment.Ingest.Telemetry;
using StackExchange.Redis;

namespace Sentiment.Ingest.Publishing;

/// <summary>Appends validated messages to <see cref="StreamNames.Input"/>.</summary>
public sealed class FeedbackPublisher(
    IConnectionMultiplexer redis,
    BacklogMonitor backlog,
    IngestTelemetry telemetry,
    IOptions<IngestOptions> options,
    ILogger<FeedbackPublisher> logger)
{
    /// <summary>Publishes all of <paramref name="messages"/> or none of them.</summary>
    /// <exception cref="BacklogFullException">The processors are more than <see cref="IngestOptions.MaxBacklog"/> behind.</exception>
    /// <exception cref="StreamUnavailableException">Redis is unreachable or refused the write.</exception>
    public async Task PublishAsync(IReadOnlyList<FeedbackMessage> messages)
    {
        // Refused before anything is written: a stream that only grows while the workers fall behind would end in
        // Redis's OOM, or, with a length cap, in losing what was accepted.
        if (backlog.IsFull)
        {
            throw new BacklogFullException(
                $"More than {options.Value.MaxBacklog} messages (Ingest:MaxBacklog) wait to be processed.");
        }

        // Fail fast while disconnected rather than queueing behind the multiplexer's reconnect backlog
        // until the request times out.
        if (!redis.IsConnected)
        {
            throw new StreamUnavailableException("Not connected to Redis.");
        }

        using var activity = IngestTelemetry.StartSend(messages);

        // Every message of the request carries the send span's context, so the worker continues this trace.
        var (traceParent, traceState) = StreamTraceContext.Inject(activity?.Context ?? Activity.Current?.Context ?? default);
        if (traceParent is not null)
        {
            messages = [.. messages.Select(message => message with { TraceParent = traceParent, TraceState = traceState })];
        }

        // No MAXLEN: a capped XADD drops the oldest entries whether or not a worker has read them. The workers trim
        // what every group has acknowledged (StreamTrimmer), and Redis's noeviction turns a full memory into OOM,
        // which is a 503 below.
        var database = redis.GetDatabase();
        try
        {
            if (messages.Count == 1)
            {
                var id = await database.StreamAddAsync(StreamNames.Input, FeedbackStreamEntry.ToFields(messages[0]));
                activity?.SetTag("messaging.message.id", (string?)id);
            }
            else
            {
                // MULTI/EXEC is sent as one pipeline, one round trip for the whole batch, and makes it
                // all-or-nothing: a connection lost halfway leaves no half-published batch behind.
                var transaction = database.CreateTransaction();
                var adds = new Task<RedisValue>[messages.Count];
                for (var i = 0; i < messages.Count; i++)
                {
                    adds[i] = transaction.StreamAddAsync(StreamNames.Input, FeedbackStreamEntry.ToFields(messages[i]));
                }

                if (!await transaction.ExecuteAsync())
                {
                    throw new StreamUnavailableException("Redis discarded the transaction.");
                }

                await Task.WhenAll(adds);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Connection loss, timeouts (RedisTimeoutException is a TimeoutException) and server refusals (LOADING, OOM, READONLY, MISCONF) all mean
            // "not stored, try again later" to the client.
            logger.LogWarning("Publishing {Count} messages to {Stream} failed: {Error}", messages.Count, StreamNames.Input, ex.Message);
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            activity?.SetTag("error.type", ex.GetType().FullName);
            throw new StreamUnavailableException("Redis did not accept the messages.", ex);
        }

        telemetry.RecordPublished(messages);
    }
}
