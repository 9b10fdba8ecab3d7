using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sentiment.Dashboard.Api;

/// <summary>One health check's outcome. The description never carries exception details (they may hold connection strings).</summary>
public sealed record HealthCheckEntry(string Status, string? Description, double DurationMs);

public sealed record HealthResponse(string Status, double TotalDurationMs, IReadOnlyDictionary<string, HealthCheckEntry> Checks);

/// <summary><c>GET /api/health</c>: every health check of this instance (Redis, PostgreSQL, ...) as JSON.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", GetAsync)
            .WithTags("Health")
            .WithName("GetHealth")
            .WithSummary("The health checks of this dashboard instance; 503 while any is unhealthy.");
        return app;
    }

    public static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetAsync(
        HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        var response = new HealthResponse(
            report.Status.ToString(),
            report.TotalDuration.TotalMilliseconds,
            report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new HealthCheckEntry(entry.Value.Status.ToString(), entry.Value.Description, entry.Value.Duration.TotalMilliseconds)));
        return report.Status == HealthStatus.Unhealthy
            ? TypedResults.Json(response, statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(response);
    }
}
