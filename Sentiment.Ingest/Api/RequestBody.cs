using System.Buffers;

namespace Sentiment.Ingest.Api;

/// <summary>Reads a request body into memory up to a size limit.</summary>
public static class RequestBody
{
    /// <returns>The body, or null when it is longer than <paramref name="limit"/> bytes.</returns>
    /// <remarks>
    /// Checked here rather than left to Kestrel's MaxRequestBodySize so the client gets a ProblemDetails 413,
    /// for chunked bodies as well, and so the limit also holds under TestServer.
    /// </remarks>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
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
                    return null;
                }

                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return new ReadOnlyMemory<byte>(body.GetBuffer(), 0, (int)body.Length);
    }
}
