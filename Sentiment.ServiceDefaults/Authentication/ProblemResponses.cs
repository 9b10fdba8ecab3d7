using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Sentiment.ServiceDefaults.Authentication;

public static class ProblemResponses
{
    /// <summary>
    /// Answers with <paramref name="status"/> and a ProblemDetails body, from middleware and handlers that run outside an
    /// endpoint (authentication, the rate limiter, the origin check), where no <c>IResult</c> can be returned.
    /// </summary>
    public static async Task WriteProblemAsync(this HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
