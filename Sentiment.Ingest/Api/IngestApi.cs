using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Sentiment.Ingest.Authentication;
using Sentiment.Ingest.Backpressure;
using Sentiment.Ingest.Publishing;
using Sentiment.Ingest.Telemetry;
using Sentiment.Ingest.Validation;

namespace Sentiment.Ingest.Api;

/// <summary><c>POST /api/ingest</c>: one message or an array of them onto <c>sentiment:input</c>.</summary>
public static class IngestApi
{
    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/ingest").WithTags("Ingest");
        api.MapPost("", PostAsync)
            .Accepts<IngestRequestItem[]>("application/json")
            .Produces<IngestResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status408RequestTimeout)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(IngestAuthenticationExtensions.PerKeyPolicy)
            .WithName("IngestFeedback")
            .WithSummary("Publishes one message, or an array of up to Ingest:MaxMessagesPerRequest, onto sentiment:input.")
            .WithDescription(
                "Needs an API key ('Authorization: Bearer <key>' or 'X-Api-Key: <key>'): none or an unknown one gives 401, " +
                "a message for a source the key may not post to 403 naming each such field, and more requests than the " +
                "key's rate limit 429 with Retry-After. " +
                "The body is one message object or an array of them (the schema shows the array). All or nothing: any " +
                "invalid item gives a 400 naming every bad field with its index ([3].text) and publishes nothing. A body " +
                "over Ingest:MaxBodyBytes gives 413, a Content-Type other than application/json 415, a body that stops " +
                "short or arrives too slowly 400 or 408, and Redis out of reach or the backlog above Ingest:MaxBacklog 503 with Retry-After.");
        return app;
    }

    public static async Task<Results<Accepted<IngestResponse>, ValidationProblem, ProblemHttpResult>> PostAsync(
        HttpContext context,
        FeedbackPublisher publisher,
        IngestTelemetry telemetry,
        IOptions<IngestOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (!context.Request.HasJsonContentType())
        {
            telemetry.RecordRejected(StatusCodes.Status415UnsupportedMediaType);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: "Send the messages as JSON, with 'Content-Type: application/json'.");
        }

        var (outcome, body, status) = await RequestBody.ReadAsync(context.Request, limits.MaxBodyBytes, cancellationToken);
        switch (outcome)
        {
            case RequestBody.Outcome.TooLarge:
                telemetry.RecordRejected(StatusCodes.Status413PayloadTooLarge);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status413PayloadTooLarge,
                    title: "Request body too large",
                    detail: $"The body must be at most {limits.MaxBodyBytes} bytes; split the messages over several requests.");
            case RequestBody.Outcome.Incomplete:
                telemetry.RecordRejected(status);
                return TypedResults.Problem(
                    statusCode: status,
                    title: "Request body incomplete",
                    detail: "The body ended before its Content-Length, or arrived too slowly; nothing was published. Send it again.");
        }

        var read = FeedbackRequestReader.Read(body, limits.MaxMessagesPerRequest, time.GetUtcNow());
        if (!read.IsValid)
        {
            telemetry.RecordRejected(StatusCodes.Status400BadRequest);
            return TypedResults.ValidationProblem(
                read.Errors, detail: "Nothing from this request was published; fix the fields named in 'errors' and send it again.");
        }

        var forbidden = SourcePermissions.Forbidden(context.User, read);
        if (forbidden.Count > 0)
        {
            telemetry.RecordRejected(StatusCodes.Status403Forbidden);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Source not allowed for this API key",
                detail: "Nothing from this request was published; the fields named in 'errors' name sources this key may not post to.",
                extensions: new Dictionary<string, object?> { ["errors"] = forbidden });
        }

        try
        {
            await publisher.PublishAsync(read.Messages);
        }
        catch (BacklogFullException full)
        {
            telemetry.RecordRejected(StatusCodes.Status503ServiceUnavailable);
            context.Response.Headers.RetryAfter = limits.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Backlog full",
                detail: $"{full.Message} Nothing from this request was published. Retry after {limits.RetryAfterSeconds} s.");
        }
        catch (StreamUnavailableException)
        {
            telemetry.RecordRejected(StatusCodes.Status503ServiceUnavailable);
            context.Response.Headers.RetryAfter = limits.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Message stream unavailable",
                detail: $"Redis is unreachable, so nothing from this request was published. Retry after {limits.RetryAfterSeconds} s.");
        }

        return TypedResults.Accepted((string?)null, new IngestResponse([.. read.Messages.Select(message => message.Id)]));
    }
}
