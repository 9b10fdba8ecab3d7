using System.Globalization;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;
using Sentiment.Contracts.Alerts;

namespace Sentiment.Notifier.Channels;

/// <summary>Sends a plain-text email through SMTP with MailKit, one connection per alert.</summary>
public sealed class EmailChannel(IOptions<NotificationOptions> options) : INotificationChannel
{
    private readonly EmailOptions _options = options.Value.Email;

    public string Name => "email";

    public bool IsConfigured => _options.IsConfigured;

    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        using var message = Message(alert, _options.From!, _options.To);
        using var client = new SmtpClient();
        await client.ConnectAsync(_options.Host!, _options.Port, _options.Security, cancellationToken);
        if (!string.IsNullOrEmpty(_options.Username))
        {
            await client.AuthenticateAsync(_options.Username, _options.Password!, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    public static MimeMessage Message(Alert alert, string from, IEnumerable<string> to)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        foreach (var address in to)
        {
            message.To.Add(MailboxAddress.Parse(address));
        }

        message.Subject = $"[Sentiment] {AlertText.Headline(alert)}";
        message.Headers.Add("X-Sentiment-Alert-Id", alert.Id.ToString());
        message.Body = new TextPart("plain") { Text = Body(alert) };
        return message;
    }

    public static string Body(Alert alert) => string.Create(CultureInfo.InvariantCulture, $"""
        {alert.Reason}

        Source:   {alert.Source}
        Score:    {AlertText.Score(alert)}
        Messages: {string.Join(", ", alert.MessageIds)}
        Raised:   {alert.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC

        "{alert.Snippet}"

        Open in the dashboard: {alert.Link}
        Alert {alert.Id}
        """);
}
