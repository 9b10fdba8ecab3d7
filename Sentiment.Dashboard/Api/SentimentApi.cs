using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Sentiment.Dashboard.Queries;

namespace Sentiment.Dashboard.Api;

/// <summary><c>GET /api/sentiment</c> (stored results, a page at a time) and <c>GET /api/metrics</c>.</summary>
public static class SentimentApi
{
    public static IEndpointRouteBuilder MapSentimentApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Sentiment").AddEndpointFilter<DependencyUnavailableFilter>();
        api.MapGet("/sentiment", ListAsync)
            .WithName("ListSentiment")
            .WithSummary("Stored results matching the filters, newest first, a page at a time (keyset paging).");
        api.MapGet("/metrics", GetMetricsAsync)
            .WithName("GetMetrics")
            .WithSummary("Totals, counts by label, average score and processing rate of the results matching the filters.");
        return app;
    }

    public static async Task<Results<Ok<MessagePage>, ValidationProblem>> ListAsync(
        [AsParameters] FilterParameters filters,
        [FromQuery] string? cursor,
        [FromQuery] string? limit,
        MessageSearchQuery query,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var filter = filters.ToFilter(errors);
        var pageSize = FilterParameters.ParseInt(limit, "limit", 1, MessageSearchQuery.MaxPageSize, errors) ?? MessageSearchQuery.DefaultPageSize;
        MessageCursor? after = null;
        if (cursor is not null && !MessageCursor.TryParse(cursor, out after))
        {
            errors["cursor"] = ["'cursor' must be the nextCursor of a previous page, unchanged."];
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        return TypedResults.Ok(await query.SearchAsync(filter!, after, pageSize, cancellationToken));
    }

    public static async Task<Results<Ok<SentimentMetrics>, ValidationProblem>> GetMetricsAsync(
        [AsParameters] FilterParameters filters,
        MetricsQuery query,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var filter = filters.ToFilter(errors);
        return filter is null ? Invalid(errors) : TypedResults.Ok(await query.GetAsync(filter, cancellationToken));
    }

    internal static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: "Fix the query parameters named in 'errors'.");
}
