namespace Sentiment.Dashboard.Api;

public static class ReadApiExtensions
{
    /// <summary>The read API's OpenAPI document, served at <c>/openapi/v1.json</c>.</summary>
    public static IHostApplicationBuilder AddReadApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
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
        return app;
    }
}
