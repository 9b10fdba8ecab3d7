using System.Buffers;

namespace Sentiment.Ingest.Api;

/// <summary>Reads a request body into memory up to a size limit.</summary>
public static class RequestBody
{
    /// <summary>How reading the body ended.</summary>
    public enum Outcome
    {
        Read,

        /// <summary>Longer than the limit.</summary>
        TooLarge,

        /// <summary>
        /// The client sent less than it announced, too slowly (Kestrel's minimum data rate) or not at all before it
        /// went away: Kestrel's <see cref="BadHttpRequestException"/>, whose status (400 or 408) goes back.
        /// </summary>
        Incomplete,
    }

    /// <returns>The outcome; the body when it was read, Kestrel's status when it was incomplete.</returns>
    /// <remarks>
    /// The size is checked here rather than left to Kestrel's MaxRequestBodySize so the client gets a ProblemDetails
    /// 413, for chunked bodies as well, and so the limit also holds under TestServer.
    /// </remarks>
    public static async Task<(Outcome Outcome, ReadOnlyMemory<byte> Body, int StatusCode)> ReadAsync(
        HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return (Outcome.TooLarge, default, StatusCodes.Status413PayloadTooLarge);
        }

        using var body = new MemoryStream((int)(request.ContentLength ?? 4096));
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (body.Length + read > limit)
                {
                    return (Outcome.TooLarge, default, StatusCodes.Status413PayloadTooLarge);
                }

                body.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException exception)
        {
            return (Outcome.Incomplete, default, exception.StatusCode);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return (Outcome.Read, new ReadOnlyMemory<byte>(body.GetBuffer(), 0, (int)body.Length), StatusCodes.Status200OK);
    }
}
