using Microsoft.Extensions.Options;
using Sentiment.ServiceDefaults.Authentication;

namespace Sentiment.Dashboard.Authentication;

/// <summary>
/// Refuses a browser's connection to the SignalR hubs (the live feed and Blazor's circuit) from another site's page.
/// Browsers always send Origin there, and WebSockets are not covered by CORS, so without this a page elsewhere could
/// open the feed with a signed-in user's cookie. Clients that send no Origin (scripts, the .NET client) are not
/// browsers and must bring a key.
/// </summary>
public sealed class OriginCheck(RequestDelegate next, IOptions<DashboardAuthenticationOptions> options)
{
    private static readonly PathString[] GuardedPaths = ["/hubs", "/_blazor"];

    public async Task InvokeAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0
            || !GuardedPaths.Any(path => context.Request.Path.StartsWithSegments(path))
            || IsAllowed(context.Request, origin))
        {
            await next(context);
            return;
        }

        await context.WriteProblemAsync(
            StatusCodes.Status403Forbidden,
            "Origin not allowed",
            "Pages on another site may not connect to the dashboard's hubs; add the origin to Dashboard:Authentication:AllowedOrigins to allow it.");
    }

    private bool IsAllowed(HttpRequest request, string origin) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)
        || options.Value.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);
}
