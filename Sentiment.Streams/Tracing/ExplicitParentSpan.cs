using System.Diagnostics;

namespace Sentiment.Streams.Tracing;

/// <summary>
/// Starts and stops a span whose parent is given as a context (a stream entry's <c>traceparent</c>, a message's span)
/// rather than being <see cref="Activity.Current"/>. Two defaults of System.Diagnostics get in the way, so every such
/// span goes through here: <c>StartActivity</c> takes an empty parent to mean the current span (not a new trace) and
/// makes the new span current, and <see cref="Activity.Stop"/> makes the span's <see cref="Activity.Parent"/>
/// current, which for a span started under a context is none.
/// </summary>
public static class ExplicitParentSpan
{
    /// <param name="makeCurrent">
    /// Whether the span stays <see cref="Activity.Current"/> after it starts; when false, or when no span starts (nobody
    /// listens, or it is not sampled), whatever was current before is current again.
    /// </param>
    public static Activity? Start(
        ActivitySource source, string name, ActivityKind kind, ActivityContext parent, IEnumerable<ActivityLink>? links, bool makeCurrent)
    {
        var previous = Activity.Current;
        Activity.Current = null; // an empty parent then means a new trace, not a child of the current span
        Activity? activity = null;
        try
        {
            activity = source.StartActivity(name, kind, parent, links: links);
            return activity;
        }
        finally
        {
            if (activity is null || !makeCurrent)
            {
                Activity.Current = previous;
            }
        }
    }

    /// <summary>Stops <paramref name="activity"/> and makes <paramref name="current"/> the current span.</summary>
    public static void Stop(Activity? activity, Activity? current)
    {
        if (activity is null)
        {
            return;
        }

        activity.Stop();
        Activity.Current = current;
    }
}

/// <summary>
/// A span that is <see cref="Activity.Current"/> until disposed, after which whatever was current before is current
/// again, even when its parent was given as a context rather than being the current span.
/// </summary>
public readonly struct SpanScope : IDisposable
{
    private readonly Activity? _previous;

    private SpanScope(Activity? activity, Activity? previous)
    {
        Activity = activity;
        _previous = previous;
    }

    public Activity? Activity { get; }

    public ActivityContext Context => Activity?.Context ?? default;

    /// <param name="parent">The parent; an empty one starts a new trace.</param>
    public static SpanScope Start(
        ActivitySource source, string name, ActivityKind kind, ActivityContext parent, IEnumerable<ActivityLink>? links = null)
    {
        var previous = Activity.Current;
        return new SpanScope(ExplicitParentSpan.Start(source, name, kind, parent, links, makeCurrent: true), previous);
    }

    public void Dispose() => ExplicitParentSpan.Stop(Activity, _previous);
}

/// <summary>A span that is never <see cref="Activity.Current"/>, so starting and stopping it leaves the current span as it was.</summary>
public readonly struct DetachedSpan(Activity? activity) : IDisposable
{
    public Activity? Activity { get; } = activity;

    public void Dispose() => Stop(Activity);

    /// <param name="parent">The parent; an empty one starts a new trace.</param>
    public static Activity? Start(
        ActivitySource source, string name, ActivityKind kind, ActivityContext parent, IEnumerable<ActivityLink>? links = null) =>
        ExplicitParentSpan.Start(source, name, kind, parent, links, makeCurrent: false);

    public static void Stop(Activity? activity) => ExplicitParentSpan.Stop(activity, Activity.Current);
}

/// <summary>How every span of the pipeline is marked failed.</summary>
public static class SpanFailure
{
    /// <summary>Marks a span failed the way OpenTelemetry's conventions ask: status Error and <c>error.type</c>.</summary>
    public static void Mark(Activity? activity, string errorType, string? description)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, description);
        activity.SetTag("error.type", errorType);
    }
}
