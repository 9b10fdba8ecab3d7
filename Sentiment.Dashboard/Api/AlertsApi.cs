using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Sentiment.Contracts.Alerts;
using Sentiment.Dashboard.Authentication;
using Sentiment.Dashboard.Live;
using Sentiment.Dashboard.Queries;

namespace Sentiment.Dashboard.Api;

/// <summary>The alerts a status (and optionally a source) selects, newest first, with how many there are in all.</summary>
public sealed record AlertList(IReadOnlyList<Alert> Items, long Total);

/// <summary><c>GET /api/alerts</c> and <c>POST /api/alerts/{id}/ack</c>.</summary>
public static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/alerts").WithTags("Alerts").AddEndpointFilter<DependencyUnavailableFilter>();
        api.MapGet("", ListAsync)
            .WithName("ListAlerts")
            .WithSummary("Alerts by status (active, acknowledged or all; active by default), newest first.");
        api.MapPost("/{id}/ack", AcknowledgeAsync)
            .RequireAuthorization(DashboardRoles.OperatePolicy)
            .AddEndpointFilter<CookieAntiforgeryFilter>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithName("AcknowledgeAlert")
            .WithSummary("Acknowledges an alert (operator role). Idempotent: acknowledging it again changes nothing and answers the same.");
        return app;
    }

    public static async Task<Results<Ok<AlertList>, ValidationProblem>> ListAsync(
        [FromQuery] string? status,
        [FromQuery] string? source,
        [FromQuery] string? limit,
        AlertsQuery query,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var statusFilter = status switch
        {
            null or "active" => AlertStatusFilter.Active,
            "acknowledged" => AlertStatusFilter.Acknowledged,
            "all" => AlertStatusFilter.All,
            _ => (AlertStatusFilter?)null,
        };
        if (statusFilter is null)
        {
            errors["status"] = ["'status' must be one of active, acknowledged, all."];
        }

        var scope = new FilterParameters { Source = source }.ToFilter(errors);

        var count = FilterParameters.ParseInt(limit, "limit", 1, AlertsQuery.MaxLimit, errors) ?? AlertsQuery.DefaultLimit;
        if (errors.Count > 0)
        {
            return SentimentApi.Invalid(errors);
        }

        var items = await query.ListAsync(statusFilter!.Value, scope!, count, cancellationToken);
        var total = await query.CountAsync(statusFilter.Value, scope, cancellationToken);
        return TypedResults.Ok(new AlertList(items, total));
    }

    public static async Task<Results<Ok<Alert>, ProblemHttpResult, ValidationProblem>> AcknowledgeAsync(
        string id,
        AlertAcknowledger acknowledger,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var alertId))
        {
            return SentimentApi.Invalid(new Dictionary<string, string[]> { ["id"] = ["'id' must be an alert id (a GUID)."] });
        }

        var result = await acknowledger.AcknowledgeAsync(alertId, cancellationToken);
        return result.Outcome == AcknowledgeOutcome.NotFound
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Alert not found", detail: $"There is no alert {alertId}.")
            : TypedResults.Ok(result.Alert!);
    }
}
