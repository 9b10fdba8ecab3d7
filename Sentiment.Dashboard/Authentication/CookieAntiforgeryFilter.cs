using Microsoft.AspNetCore.Antiforgery;
using Sentiment.ServiceDefaults.Authentication;

namespace Sentiment.Dashboard.Authentication;

/// <summary>
/// Requires an antiforgery token (header <c>RequestVerificationToken</c>) on a state-changing call made with the session
/// cookie, so another site cannot make a signed-in browser post it. Calls with an API key carry no ambient
/// credential, so they need none.
/// </summary>
public sealed class CookieAntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.Identity?.AuthenticationType != ApiKeyAuthenticationHandler.SchemeName
            && !await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Antiforgery token missing or invalid",
                detail: "A signed-in browser must send the page's antiforgery token with this request.");
        }

        return await next(context);
    }
}
