using System.Diagnostics;

namespace Sentiment.Streams.Tracing;

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
