using System.Net;

namespace Sentiment.Notifier.Channels;

internal static class HttpDelivery
{
    /// <summary>
    /// Throws unless the receiver accepted the request. The message names only the status, never the URL: a Slack
    /// webhook's path is its credential.
    /// </summary>
    public static async Task EnsureAcceptedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var message = $"HTTP {status} {response.ReasonPhrase}{(body.Length > 0 ? ": " + body[..Math.Min(body.Length, 200)] : "")}";
        if (status is >= 400 and < 500 && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests))
        {
            throw new PermanentDeliveryException(message);
        }

        throw new HttpRequestException(message, null, response.StatusCode);
    }
}
