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
