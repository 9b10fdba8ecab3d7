using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sentiment.Dashboard.Live;

/// <summary>
/// Whether this instance follows the pipeline live: subscribed to the results and acknowledgement channels, and
/// reading <c>sentiment:alerts</c> without errors. Reported as the <c>live-feed</c> health check: Degraded, not
/// Unhealthy, while it does not, because the pages still answer from PostgreSQL, only without live updates.
/// </summary>
public sealed class LiveFeedHealth : IHealthCheck
{
    private volatile bool _channelsSubscribed;
    private volatile string? _alertStreamError = "not read yet";

    public bool IsLive => _channelsSubscribed && _alertStreamError is null;

    public void ChannelsSubscribed() => _channelsSubscribed = true;

    public void AlertStreamRead() => _alertStreamError = null;

    public void AlertStreamFailed(string error) => _alertStreamError = error;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!_channelsSubscribed)
        {
            return Task.FromResult(HealthCheckResult.Degraded("Not subscribed to the results channel yet: no live updates."));
        }

        return Task.FromResult(_alertStreamError is { } error
            ? HealthCheckResult.Degraded($"Alerts are not followed live: {error}")
            : HealthCheckResult.Healthy("Following results, alerts and acknowledgements."));
    }
}
