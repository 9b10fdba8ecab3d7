using System.Diagnostics;

namespace Sentiment.Streams.Tracing;

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
