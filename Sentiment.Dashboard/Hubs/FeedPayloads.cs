using Sentiment.Contracts.Alerts;
using Sentiment.Contracts.Messaging;
using Sentiment.Dashboard.Live;
using Sentiment.Dashboard.Queries;

namespace Sentiment.Dashboard.Hubs;

/// <summary>The methods /hubs/sentiment calls on its clients: the public feed (docs/dashboard.md).</summary>
public static class FeedMethods
{
    /// <summary>What this instance received since the connection's previous update; at most 4 a second.</summary>
    public const string Update = "update";

    /// <summary>An alert was acknowledged, on any instance; sent through the Redis backplane.</summary>
    public const string AlertAcknowledged = "alertAcknowledged";
}

/// <summary>
/// The payload of <see cref="FeedMethods.Update"/>. The counts cover every result stored since the previous update;
/// <see cref="Results"/> lists the newest of them only (at most <see cref="LiveUpdates.MaxResultsPerBatch"/>), so a
/// burst never makes an update large.
/// </summary>
/// <param name="ResultCount">Results stored since the previous update.</param>
/// <param name="AverageScore">Their mean score; null when there were none.</param>
/// <param name="Alerts">Alerts raised since the previous update, oldest first.</param>
public sealed record LiveUpdate(
    DateTimeOffset At,
    long ResultCount,
    LabelCounts ByLabel,
    double? AverageScore,
    IReadOnlyList<ResultSummary> Results,
    IReadOnlyList<Alert> Alerts)
{
    public static LiveUpdate From(LiveBatch batch) => new(
        batch.At,
        batch.ResultCount,
        batch.ByLabel,
        batch.AverageScore,
        batch.Results,
        [.. batch.NewAlerts.Select(alert => alert.Alert)]);
}
