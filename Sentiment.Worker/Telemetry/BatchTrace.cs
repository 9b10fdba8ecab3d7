using System.Diagnostics;
using Sentiment.Contracts.Messaging;
using Sentiment.Streams.Tracing;
using Sentiment.Worker.Processing;
using StackExchange.Redis;

namespace Sentiment.Worker.Telemetry;

/// <summary>
/// The spans of one batch, in two kinds of trace.
/// <list type="bullet">
/// <item>Each message continues the trace it arrived with (its entry's <c>traceparent</c>): a consumer span
/// <c>process sentiment:input</c> and under it one span per step the message went through (preprocess, inference,
/// tag topics, store results, evaluate alerts), so one message's trace shows its whole path.</item>
/// <item>The batch has a trace of its own: a root <c>process sentiment:input</c> span and under it one span per
/// step done for the whole batch at once (inference, store results, evaluate alerts), where the database calls
/// appear. Each of these links to every message's consumer span, and each message's step span links back to it.</item>
/// </list>
/// Message spans are never <see cref="Activity.Current"/>; the batch's spans are, inside <see cref="Enter"/>, so whatever
/// the steps call (Npgsql, Redis, HttpClient) nests under the batch. The pipeline's stages handle a batch on different
/// async flows, so each stage enters the batch's span for itself rather than the span staying current from its start.
/// </summary>
public sealed class BatchTrace : IDisposable
{
    private static readonly string ProcessSpanName = $"process {StreamNames.Input}";

    private readonly Activity? _batch;
    private readonly string _consumerName;
    private readonly Dictionary<string, Activity> _messages = new(StringComparer.Ordinal);

    private BatchTrace(Activity? batch, string consumerName)
    {
        _batch = batch;
        _consumerName = consumerName;
    }

    public static BatchTrace Start(MessageBatch batch, string consumerName)
    {
        var span = DetachedSpan.Start(WorkerTelemetry.ActivitySource, ProcessSpanName, ActivityKind.Consumer, parent: default); // the batch's own trace
        if (span is { IsAllDataRequested: true })
        {
            SetMessagingTags(span, consumerName);
            span.SetTag("messaging.batch.message_count", batch.Entries.Length);
            span.SetTag("sentiment.batch.claimed", batch.Claimed);
        }

        return new BatchTrace(span, consumerName);
    }

    /// <summary>Makes the batch's span current on this async flow until disposed (a no-op when it is not recorded).</summary>
    public CurrentSpan Enter() => new(_batch);

    /// <summary>Starts the consumer span of one entry, in the trace its <c>traceparent</c> names (a new one when it has none).</summary>
    public void AddMessage(StreamEntry entry, FeedbackMessage? message)
    {
        var span = DetachedSpan.Start(WorkerTelemetry.ActivitySource, ProcessSpanName, ActivityKind.Consumer, StreamTraceContext.Extract(entry));
        if (span is null)
        {
            return;
        }

        if (span.IsAllDataRequested)
        {
            SetMessagingTags(span, _consumerName);
            span.SetTag("messaging.message.id", (string?)entry.Id);
            if (message is not null)
            {
                span.SetTag("sentiment.message.id", message.Id);
                span.SetTag("sentiment.source", message.Source);
            }
        }

        _messages[entry.Id!] = span;
        _batch?.AddLink(new ActivityLink(span.Context));
    }

    public Activity? MessageSpan(string streamId) => _messages.GetValueOrDefault(streamId);

    /// <summary>A step done for one message alone (preprocess, tag topics): a span under its consumer span.</summary>
    public DetachedSpan StartStep(string name, ReceivedMessage message) =>
        new(_messages.TryGetValue(message.StreamId, out var parent)
            ? DetachedSpan.Start(WorkerTelemetry.ActivitySource, name, ActivityKind.Internal, parent.Context)
            : null);

    /// <summary>
    /// Runs a step done for <paramref name="messages"/> together: a span in the batch's trace, current while
    /// <paramref name="work"/> runs, linked to each message, and a span under each message's consumer span linked back.
    /// A step that throws marks them all failed.
    /// </summary>
    public async Task<T> RunStageAsync<T>(string name, IReadOnlyList<ReceivedMessage> messages, Func<StageTrace, Task<T>> work)
    {
        var links = new List<ActivityLink>(messages.Count);
        var parents = new Activity?[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            parents[i] = _messages.GetValueOrDefault(messages[i].StreamId);
            if (parents[i] is { } parent)
            {
                links.Add(new ActivityLink(parent.Context));
            }
        }

        using var batchStage = WorkerTelemetry.ActivitySource.StartActivity(name, ActivityKind.Internal, parentContext: default, links: links);
        var backLink = batchStage is null ? null : new[] { new ActivityLink(batchStage.Context) };
        var messageStages = new Activity?[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            if (parents[i] is { } parent)
            {
                messageStages[i] = DetachedSpan.Start(WorkerTelemetry.ActivitySource, name, ActivityKind.Internal, parent.Context, backLink);
            }
        }

        var stage = new StageTrace(batchStage, messageStages);
        try
        {
            return await work(stage);
        }
        catch (Exception exception)
        {
            stage.Fail(exception);
            throw;
        }
        finally
        {
            foreach (var span in messageStages)
            {
                DetachedSpan.Stop(span);
            }
        }
    }

    /// <summary>The message failed this delivery: its span ends as an error naming why (never its text).</summary>
    public void Fail(string streamId, string error)
    {
        if (_messages.TryGetValue(streamId, out var span))
        {
            SpanFailure.Mark(span, "sentiment.message_failed", error);
        }
    }

    public void DeadLettered(string streamId)
    {
        if (_messages.TryGetValue(streamId, out var span))
        {
            span.SetTag("sentiment.dead_lettered", true);
            span.AddEvent(new ActivityEvent($"moved to {StreamNames.DeadLetter}"));
        }
    }

    public void Dispose()
    {
        foreach (var span in _messages.Values)
        {
            DetachedSpan.Stop(span);
        }

        DetachedSpan.Stop(_batch);
    }

    private static void SetMessagingTags(Activity activity, string consumerName)
    {
        activity.SetTag("messaging.system", "redis");
        activity.SetTag("messaging.destination.name", StreamNames.Input);
        activity.SetTag("messaging.operation.type", "process");
        activity.SetTag("messaging.operation.name", "process");
        activity.SetTag("messaging.consumer.group.name", StreamNames.ConsumerGroup);
        activity.SetTag("messaging.client.id", consumerName);
    }
}

/// <summary>A span made <see cref="Activity.Current"/> for a while, without being started or stopped here.</summary>
public readonly struct CurrentSpan : IDisposable
{
    private readonly Activity? _previous;
    private readonly bool _entered;

    public CurrentSpan(Activity? span)
    {
        if (span is not null)
        {
            _previous = Activity.Current;
            _entered = true;
            Activity.Current = span;
        }
    }

    public void Dispose()
    {
        if (_entered)
        {
            Activity.Current = _previous;
        }
    }
}

/// <summary>The spans of one step done for several messages: the batch's and one per message, in message order.</summary>
public sealed class StageTrace(Activity? batchStage, Activity?[] messageStages)
{
    /// <summary>The context under which work for message <paramref name="index"/> continues (e.g. an alert it raises).</summary>
    public ActivityContext ContextOf(int index) => messageStages[index]?.Context ?? default;

    public void SetTag(string key, object? value)
    {
        batchStage?.SetTag(key, value);
        foreach (var span in messageStages)
        {
            span?.SetTag(key, value);
        }
    }

    public void SetMessageTag(int index, string key, object? value) => messageStages[index]?.SetTag(key, value);

    public void Fail(Exception exception)
    {
        var description = exception.GetType().Name;
        SpanFailure.Mark(batchStage, exception.GetType().FullName ?? description, description);
        foreach (var span in messageStages)
        {
            SpanFailure.Mark(span, exception.GetType().FullName ?? description, description);
        }
    }
}
