using System.Diagnostics;

namespace Sentiment.Streams.Tracing;

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
