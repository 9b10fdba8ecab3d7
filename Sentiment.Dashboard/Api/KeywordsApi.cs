using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Sentiment.Dashboard.Trending;

namespace Sentiment.Dashboard.Api;

/// <summary><c>GET /api/keywords/trending</c>.</summary>
public static class KeywordsApi
{
    public static IEndpointRouteBuilder MapKeywordsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/keywords").WithTags("Keywords").AddEndpointFilter<DependencyUnavailableFilter>();
        api.MapGet("/trending", GetTrendingAsync)
            .WithName("GetTrendingKeywords")
            .WithSummary("Keywords whose frequency in [from, to) rose most against the windows of the same length before it (G²); most trending first.");
        return app;
    }

    /// <param name="from">Start of the current window; without it, the configured window (Trending:Window) before 'to'.</param>
    /// <param name="to">End of the current window, exclusive; now by default.</param>
    public static async Task<Results<Ok<IReadOnlyList<TrendingKeyword>>, ValidationProblem>> GetTrendingAsync(
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery] string? source,
        [FromQuery] string? top,
        TrendingQuery query,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var filter = new FilterParameters { From = from, To = to, Source = source }.ToFilter(errors);
        var count = FilterParameters.ParseInt(top, "top", 1, TrendingQuery.MaxTop, errors);
        if (filter is not null && query.RangeError(filter) is { } rangeError)
        {
            errors["from"] = [rangeError];
        }

        if (errors.Count > 0)
        {
            return SentimentApi.Invalid(errors);
        }

        return TypedResults.Ok(await query.GetAsync(filter!, count, cancellationToken));
    }
}
