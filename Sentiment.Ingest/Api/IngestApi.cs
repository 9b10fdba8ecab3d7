using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
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
            .Accepts<IngestRequestItem>("application/json")
            .Accepts<IngestRequestItem[]>("application/json")
            .WithName("IngestFeedback");
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
        var body = await RequestBody.ReadAsync(context.Request, limits.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            telemetry.RecordRejected(StatusCodes.Status413PayloadTooLarge);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Request body too large",
                detail: $"The body must be at most {limits.MaxBodyBytes} bytes; split the messages over several requests.");
        }

        var read = FeedbackRequestReader.Read(body.Value, limits.MaxMessagesPerRequest, time.GetUtcNow());
        if (!read.IsValid)
        {
            telemetry.RecordRejected(StatusCodes.Status400BadRequest);
            return TypedResults.ValidationProblem(
                read.Errors, detail: "Nothing from this request was published; fix the fields named in 'errors' and send it again.");
        }

        try
        {
            await publisher.PublishAsync(read.Messages);
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
