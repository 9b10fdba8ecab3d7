using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Sentiment.Contracts.Alerts;

namespace Sentiment.Notifier.Channels;

/// <summary>
/// Sends a text through Twilio's Messages API: <c>POST {BaseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json</c>,
/// form fields To, From and Body, basic authentication with the account SID and auth token.
/// </summary>
public sealed class SmsChannel(IHttpClientFactory httpClients, IOptions<NotificationOptions> options) : INotificationChannel
{
    private readonly SmsOptions _options = options.Value.Sms;

    public string Name => "sms";

    public bool IsConfigured => _options.IsConfigured;

    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        var uri = new Uri($"{_options.BaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(_options.AccountSid!)}/Messages.json");
        using var content = new FormUrlEncodedContent(
        [
            new("To", _options.To!),
            new("From", _options.From!),
            new("Body", Body(alert)),
        ]);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.AccountSid}:{_options.AuthToken}")));
        using var response = await httpClients.CreateClient(NotifierServiceExtensions.HttpClientName).SendAsync(request, cancellationToken);
        await HttpDelivery.EnsureAcceptedAsync(response, cancellationToken);
    }

    /// <summary>Short: a text is read on a lock screen. No message text, which may be personal.</summary>
    public static string Body(Alert alert) =>
        $"Sentiment {AlertText.Headline(alert)}: {alert.Reason} {alert.Link}";
}
