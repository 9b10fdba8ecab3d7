namespace Sentiment.Dashboard;

public static class ErrorHandlingExtensions
{
    private static readonly PathString[] ApiPaths = ["/api", "/hubs", "/openapi"];

    /// <summary>
    /// An unexpected error is a ProblemDetails 500 for the API and the hub, and the error page for a page; neither
    /// shows a stack trace outside Development. Unknown paths show the not-found page.
    /// </summary>
    public static WebApplication UseDashboardErrorHandling(this WebApplication app)
    {
        app.UseWhen(context => IsApi(context.Request), api => api.UseExceptionHandler());
        if (!app.Environment.IsDevelopment())
        {
            app.UseWhen(context => !IsApi(context.Request), pages => pages.UseExceptionHandler("/Error", createScopeForErrors: true));
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        return app;
    }

    private static bool IsApi(HttpRequest request) => ApiPaths.Any(path => request.Path.StartsWithSegments(path));
}
