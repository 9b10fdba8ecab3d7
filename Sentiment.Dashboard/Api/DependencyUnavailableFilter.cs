using System.Globalization;
using Npgsql;
using StackExchange.Redis;

namespace Sentiment.Dashboard.Api;

/// <summary>
/// Turns an outage of PostgreSQL or Redis during a read API call into 503 ProblemDetails with Retry-After,
/// so clients see a dependency failure, not a server bug, and know when to try again.
/// </summary>
public sealed class DependencyUnavailableFilter(ILogger<DependencyUnavailableFilter> logger) : IEndpointFilter
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception exception) when (IsOutage(exception) && !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            logger.LogWarning("{Method} {Path} failed: a dependency is unavailable ({Error})",
                context.HttpContext.Request.Method, context.HttpContext.Request.Path, exception.Message);
            context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Dependency unavailable",
                detail: $"The results database or Redis is unreachable, or the database is not migrated yet. Retry after {RetryAfterSeconds} s.");
        }
    }

    private static bool IsOutage(Exception exception) => exception switch
    {
        // 42P01: the tables are missing, as on a new database before the migrations resource has run.
        PostgresException { SqlState: PostgresErrorCodes.UndefinedTable } => true,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is System.Net.Sockets.SocketException,
        RedisException or TimeoutException => true,
        _ => false,
    };
}
