using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Sentiment.Contracts.Alerts;

namespace Sentiment.Notifier.Channels;

/// <summary>
/// POSTs the alert as JSON. <c>X-Sentiment-Signature: sha256=&lt;hex&gt;</c> is the HMAC-SHA256 of the raw body
/// keyed with Notifications:Webhook:Secret; <c>X-Sentiment-Timestamp</c> is the send time in Unix seconds.
/// </summary>
public sealed class WebhookChannel(IHttpClientFactory httpClients, IOptions<NotificationOptions> options, TimeProvider time) : INotificationChannel
{
    public const string SignatureHeader = "X-Sentiment-Signature";
    public const string TimestampHeader = "X-Sentiment-Timestamp";
    public const string AlertIdHeader = "X-Sentiment-Alert-Id";

    private readonly WebhookOptions _options = options.Value.Webhook;

    public string Name => "webhook";

    public bool IsConfigured => _options.IsConfigured;

    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(Payload(alert));
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.Url!)) { Content = content };
        request.Headers.Add(SignatureHeader, Signature(body, _options.Secret!));
        request.Headers.Add(TimestampHeader, time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(AlertIdHeader, alert.Id.ToString());
        using var response = await httpClients.CreateClient(NotifierServiceExtensions.HttpClientName).SendAsync(request, cancellationToken);
        await HttpDelivery.EnsureAcceptedAsync(response, cancellationToken);
    }

    public static string Payload(Alert alert) => JsonSerializer.Serialize(alert, NotificationJson.Options);

    /// <summary><c>sha256=</c> and the lower-case hex HMAC-SHA256 of <paramref name="body"/>.</summary>
    public static string Signature(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
