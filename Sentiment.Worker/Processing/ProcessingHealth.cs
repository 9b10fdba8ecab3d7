using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sentiment.Streams;

namespace Sentiment.Worker.Processing;

/// <summary>Whether the worker is processing: started, and not stuck retrying Redis or PostgreSQL.</summary>
public sealed class ProcessingHealth
{
    private readonly ConcurrentDictionary<Dependency, string> _failing = new();
    private volatile bool _started;

    public void ReportStarted() => _started = true;

    public void ReportFailure(Dependency dependency, Exception? exception) =>
        _failing[dependency] = $"{dependency} is failing ({exception?.GetType().Name ?? "unknown error"}); retrying with backoff, nothing is acknowledged meanwhile.";

    public void ReportSuccess(Dependency dependency) => _failing.TryRemove(dependency, out _);

    public HealthCheckResult Check()
    {
        if (!_failing.IsEmpty)
        {
            return HealthCheckResult.Unhealthy(string.Join(" ", _failing.Values));
        }

        return _started
            ? HealthCheckResult.Healthy("Processing sentiment:input.")
            : HealthCheckResult.Unhealthy("Starting: applying migrations and joining the consumer group.");
    }
}

public sealed class ProcessingHealthCheck(ProcessingHealth health) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(health.Check());
}
