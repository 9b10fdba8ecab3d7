using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace Sentiment.Notifier.Channels;

/// <summary>
/// Where alerts are sent and how each channel retries, bound from the <c>Notifications</c> section. A channel whose
/// section is missing (or whose address is empty) is off. Secrets (webhook URLs, the HMAC secret, passwords, tokens) come only from configuration
/// and never appear in logs or in recorded errors.
/// </summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>Tries per alert and channel, the first included, counted across notifiers and restarts.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Wait before the second try; doubles each time (with jitter) up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one try may take before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public SlackOptions Slack { get; set; } = new();

    public WebhookOptions Webhook { get; set; } = new();

    public EmailOptions Email { get; set; } = new();

    public SmsOptions Sms { get; set; } = new();
}

public sealed class SlackOptions
{
    /// <summary>The incoming-webhook URL (a secret: its path is the credential).</summary>
    [Url]
    public string? WebhookUrl { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(WebhookUrl);
}

public sealed class WebhookOptions
{
    [Url]
    public string? Url { get; set; }

    /// <summary>Key of the HMAC-SHA256 signature in <c>X-Sentiment-Signature</c>.</summary>
    public string? Secret { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Url);
}

public sealed class EmailOptions
{
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>MailKit's choice of TLS: <c>Auto</c>, <c>None</c>, <c>SslOnConnect</c>, <c>StartTls</c> or <c>StartTlsWhenAvailable</c>.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    /// <summary>Signs in only when set.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    [EmailAddress]
    public string? From { get; set; }

    public List<string> To { get; set; } = [];

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

public sealed class SmsOptions
{
    /// <summary>Twilio's API; a test or a proxy can stand in for it.</summary>
    [Url]
    public string BaseUrl { get; set; } = "https://api.twilio.com";

    public string? AccountSid { get; set; }

    public string? AuthToken { get; set; }

    /// <summary>The Twilio number messages are sent from, E.164 (+15005550006).</summary>
    public string? From { get; set; }

    /// <summary>The number that receives the alerts, E.164.</summary>
    public string? To { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(AccountSid);
}
