using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.Http;
using Sentiment.Contracts;
using Sentiment.Notifier.Channels;
using Sentiment.Notifier.Delivery;
using Sentiment.Notifier.Telemetry;

namespace Sentiment.Notifier;

public static class NotifierServiceExtensions
{
    public const string HttpClientName = "notifications";

    /// <summary>
    /// The notifier: Redis and the results database through Aspire's client integrations, then
    /// <see cref="AddNotifications"/>.
    /// </summary>
    public static IHostApplicationBuilder AddNotifier(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(ResourceNames.Redis);
        builder.AddNpgsqlDataSource(ResourceNames.Database);
        return builder.AddNotifications();
    }

    /// <summary>
    /// Slack, webhook, email and SMS delivery of the alerts on <c>sentiment:alerts</c>: the group settings are the
    /// section <c>Notifier</c>, the channels <c>Notifications</c>. Needs the Redis client and the results database's
    /// <c>NpgsqlDataSource</c>; an outage of the database is waited out with <c>Notifier:RetryBaseDelay</c> /
    /// <c>Notifier:RetryMaxDelay</c>.
    /// </summary>
    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<NotifierOptions>()
            .BindConfiguration(NotifierOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                options => options.RetryMaxDelay >= options.RetryBaseDelay,
                "Notifier:RetryMaxDelay must be at least Notifier:RetryBaseDelay.")
            .Validate(
                options => options.ClaimInterval < options.ClaimMinIdle,
                "Notifier:ClaimInterval must be below Notifier:ClaimMinIdle, or alerts being delivered look abandoned.")
            .ValidateOnStart();
        builder.Services.AddOptions<NotificationOptions>()
            .BindConfiguration(NotificationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidation>();

        // The dispatcher retries and records each try itself; the default resilience handler would retry inside
        // one "attempt" and hide those tries. Each try's time limit is the dispatcher's too.
        // RemoveAllResilienceHandlers is marked experimental (EXTEXP0001) but is the documented way to opt a client
        // out of ConfigureHttpClientDefaults' handler.
#pragma warning disable EXTEXP0001
        // The client's own request logs (Information) print the request URL, and a Slack webhook's path is its
        // credential; the dispatcher logs each try itself, without URLs.
        builder.Services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers()
            .RemoveAllLoggers();
#pragma warning restore EXTEXP0001

        // Spans of outgoing requests record the URL, and a Slack webhook's path is its credential. The notifier
        // makes no other HTTP requests, so every path is left out.
        builder.Services.Configure<HttpClientTraceInstrumentationOptions>(options =>
            options.EnrichWithHttpRequestMessage = (activity, request) =>
            {
                if (request.RequestUri is { IsAbsoluteUri: true } uri)
                {
                    activity.SetTag("url.full", $"{uri.Scheme}://{uri.Authority}/REDACTED");
                }
            });

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<NotifierTelemetry>();
        builder.Services.AddSingleton<INotificationChannel, SlackChannel>();
        builder.Services.AddSingleton<INotificationChannel, WebhookChannel>();
        builder.Services.AddSingleton<INotificationChannel, EmailChannel>();
        builder.Services.AddSingleton<INotificationChannel, SmsChannel>();
        builder.Services.AddSingleton<NotificationAttemptWriter>();
        builder.Services.AddSingleton<AlertConsumer>();
        builder.Services.AddSingleton<NotificationDispatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<NotificationDispatcher>());
        return builder;
    }
}
