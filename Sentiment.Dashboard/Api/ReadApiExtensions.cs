using Sentiment.ServiceDefaults.Authentication;

namespace Sentiment.Dashboard.Api;

public static class ReadApiExtensions
{
    /// <summary>The read API's OpenAPI document, served at <c>/openapi/v1.json</c>.</summary>
    public static IHostApplicationBuilder AddReadApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(openApi => openApi.AddApiKeySecurity(
            "A dashboard API key, as 'Authorization: Bearer <key>': the viewer role reads, the operator role also acknowledges. A signed-in browser's session cookie works too."));
        return builder;
    }

    /// <summary>The read API under <c>/api</c> (docs/dashboard.md) and its OpenAPI document.</summary>
    public static IEndpointRouteBuilder MapReadApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        app.MapSentimentApi();
        app.MapAlertsApi();
        app.MapKeywordsApi();
        app.MapHealthApi();

        // An unknown API path gets a 404 ProblemDetails, whatever the method; without this the status-code pages
        // re-execute it as the dashboard's not-found page, which a POST reaches only with an antiforgery token (400).
        app.MapFallback("/api/{**path}", () => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such API endpoint."))
            .ExcludeFromDescription();
        return app;
    }
}
