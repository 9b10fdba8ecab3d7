using Sentiment.Contracts.Alerts;
using Sentiment.Dashboard.Components.Filters;
using Sentiment.Dashboard.Queries;
using Sentiment.Dashboard.Trending;

namespace Sentiment.Dashboard.Components.Overview;

/// <summary>Everything the overview shows for one filter, read at one moment.</summary>
/// <param name="Backlog">Messages the workers have still to process (all sources, whatever the filter); null when Redis cannot tell.</param>
public sealed record OverviewSnapshot(
    SentimentMetrics Metrics,
    IReadOnlyList<SentimentTimeBucket> OverTime,
    IReadOnlyList<TopicCount> Topics,
    IReadOnlyList<SourceBreakdown> Sources,
    IReadOnlyList<TrendingKeyword> Keywords,
    IReadOnlyList<Alert> Alerts,
    long ActiveAlerts,
    IReadOnlyList<string> SourceChoices,
    DateTimeOffset ReadAt,
    long? Backlog);

/// <summary>
/// Reads the overview's views through the read model's queries, all at once: each opens its own pooled
/// connection, so the page waits for the slowest query rather than for their sum.
/// </summary>
public sealed class OverviewLoader(
    MetricsQuery metrics,
    SentimentOverTimeQuery overTime,
    TopTopicsQuery topics,
    SourcesQuery sources,
    TrendingQuery trending,
    AlertsQuery alerts,
    BacklogQuery backlog,
    TimeProvider time)
{
    public const int TopicCount = 10;
    public const int SourceCount = 8;
    public const int KeywordCount = 30;
    public const int AlertCount = 20;

    public async Task<OverviewSnapshot> LoadAsync(DashboardFilter filter, CancellationToken cancellationToken = default)
    {
        var readAt = time.GetUtcNow();
        var scope = filter.ToSentimentFilter(time);
        var metricsTask = metrics.GetAsync(scope, cancellationToken);
        var overTimeTask = overTime.GetAsync(scope, filter.Bucket, cancellationToken);
        var topicsTask = topics.GetAsync(scope, TopicCount, cancellationToken);
        var sourcesTask = sources.ByLabelAsync(scope, SourceCount, cancellationToken);
        var keywordsTask = trending.GetAsync(scope, KeywordCount, cancellationToken);
        var alertsTask = alerts.ListAsync(AlertStatusFilter.All, scope, AlertCount, cancellationToken);
        var activeTask = alerts.CountAsync(AlertStatusFilter.Active, scope, cancellationToken);
        var choicesTask = sources.ListAsync(cancellationToken);
        var backlogTask = backlog.GetAsync();
        await Task.WhenAll(metricsTask, overTimeTask, topicsTask, sourcesTask, keywordsTask, alertsTask, activeTask, choicesTask, backlogTask);

        return new OverviewSnapshot(
            await metricsTask, await overTimeTask, await topicsTask, await sourcesTask, await keywordsTask,
            await alertsTask, await activeTask, await choicesTask, readAt, (await backlogTask)?.Unacknowledged);
    }
}
