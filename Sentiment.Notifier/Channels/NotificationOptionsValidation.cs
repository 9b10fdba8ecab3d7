using Microsoft.Extensions.Options;

namespace Sentiment.Notifier.Channels;

/// <summary>A channel that is switched on must be complete: a half-configured channel fails the start, not the first alert.</summary>
public sealed class NotificationOptionsValidation : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var errors = new List<string>();
        if (options.RetryMaxDelay < options.RetryBaseDelay)
        {
            errors.Add("Notifications:RetryMaxDelay must be at least Notifications:RetryBaseDelay.");
        }

        if (options.Webhook.IsConfigured && string.IsNullOrEmpty(options.Webhook.Secret))
        {
            errors.Add("Notifications:Webhook:Secret is required when Notifications:Webhook:Url is set.");
        }

        if (options.Email.IsConfigured)
        {
            if (string.IsNullOrWhiteSpace(options.Email.From))
            {
                errors.Add("Notifications:Email:From is required when Notifications:Email:Host is set.");
            }

            if (options.Email.To.Count == 0 || options.Email.To.Any(string.IsNullOrWhiteSpace))
            {
                errors.Add("Notifications:Email:To needs at least one address, and no empty ones.");
            }

            if (!string.IsNullOrEmpty(options.Email.Username) && options.Email.Password is null)
            {
                errors.Add("Notifications:Email:Password is required when Notifications:Email:Username is set.");
            }
        }

        if (options.Sms.IsConfigured)
        {
            foreach (var (value, field) in new[]
            {
                (options.Sms.AuthToken, "AuthToken"), (options.Sms.From, "From"), (options.Sms.To, "To"),
            })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    errors.Add($"Notifications:Sms:{field} is required when Notifications:Sms:AccountSid is set.");
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
