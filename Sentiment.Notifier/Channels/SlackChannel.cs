using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Sentiment.Contracts.Alerts;

namespace Sentiment.Notifier.Channels;

/// <summary>Posts to a Slack incoming webhook: <c>text</c> for notifications and clients without blocks, and blocks.</summary>
public sealed class SlackChannel(IHttpClientFactory httpClients, IOptions<NotificationOptions> options) : INotificationChannel
{
    private readonly SlackOptions _options = options.Value.Slack;

    public string Name => "slack";

    public bool IsConfigured => _options.IsConfigured;

    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        using var content = new StringContent(Payload(alert), Encoding.UTF8, "application/json");
        using var response = await httpClients.CreateClient(NotifierServiceExtensions.HttpClientName)
            .PostAsync(new Uri(_options.WebhookUrl!), content, cancellationToken);
        await HttpDelivery.EnsureAcceptedAsync(response, cancellationToken);
    }

    public static string Payload(Alert alert)
    {
        var headline = AlertText.Headline(alert);
        var payload = new
        {
            text = $"{headline}: {Escape(alert.Reason)}",
            blocks = new object[]
            {
                new { type = "header", text = new { type = "plain_text", text = headline } },
                new
                {
                    type = "section",
                    text = new
                    {
                        type = "mrkdwn",
                        text = $"{Escape(alert.Reason)}\n>{Escape(alert.Snippet).Replace("\n", "\n>", StringComparison.Ordinal)}\n*Source:* {Escape(alert.Source)}  *Score:* {AlertText.Score(alert)}",
                    },
                },
                new
                {
                    type = "context",
                    elements = new object[]
                    {
                        new { type = "mrkdwn", text = $"<{alert.Link}|Open message {Escape(alert.MessageIds[0])} in the dashboard>  alert {alert.Id}" },
                    },
                },
            },
        };
        return JsonSerializer.Serialize(payload, NotificationJson.Options);
    }

    /// <summary>Slack's mrkdwn treats &amp;, &lt; and &gt; as control characters; these three are all it asks to escape.</summary>
    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
