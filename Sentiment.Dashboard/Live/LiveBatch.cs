using System.Diagnostics;
using Sentiment.Contracts.Alerts;
using Sentiment.Contracts.Messaging;
using Sentiment.Dashboard.Queries;

namespace Sentiment.Dashboard.Live;

/// <summary>
/// What reached this dashboard instance since a subscriber's previous batch: results the workers stored, alerts
/// they raised, and alerts acknowledged on any instance. Views re-query with their filters on each batch;
/// the counts let a feed account for every result without listing each one.
/// </summary>
/// <param name="ResultCount">Every result announced since the previous batch.</param>
/// <param name="ByLabel">Those results by label (sums to <paramref name="ResultCount"/>).</param>
/// <param name="ScoreSum">The sum of their scores, so averages can be combined across batches.</param>
/// <param name="Results">The newest of them, oldest first, at most <see cref="LiveUpdates.MaxResultsPerBatch"/>.</param>
public sealed record LiveBatch(
    DateTimeOffset At,
    long ResultCount,
    LabelCounts ByLabel,
    double ScoreSum,
    IReadOnlyList<ResultSummary> Results,
    IReadOnlyList<LiveAlert> NewAlerts,
    IReadOnlyList<AlertAcknowledgement> AcknowledgedAlerts)
{
    /// <summary>The mean score of the batch's results; null when it has none.</summary>
    public double? AverageScore => ResultCount == 0 ? null : ScoreSum / ResultCount;
}

/// <summary>A newly raised alert, with the trace context of its entry on <c>sentiment:alerts</c> (default when it had none).</summary>
public sealed record LiveAlert(Alert Alert, ActivityContext TraceParent);

/// <summary>An alert someone acknowledged.</summary>
public sealed record AlertAcknowledgement(Guid AlertId, DateTimeOffset AcknowledgedAt);
