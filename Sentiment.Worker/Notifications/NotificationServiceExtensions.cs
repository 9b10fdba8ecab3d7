using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.Http;
using Sentiment.Worker.Telemetry;

namespace Sentiment.Worker.Notifications;

public static class NotificationServiceExtensions
{
    public const string HttpClientName = "notifications";

    /// <summary>
    /// Slack, webhook, email and SMS delivery of the alerts on <c>sentiment:alerts</c> (section <c>Notifications</c>).
    /// Needs the Redis client and the results database's <c>NpgsqlDataSource</c>. An outage of the database is waited
    /// out with the worker's backoff (<c>Worker:RetryBaseDelay</c> / <c>Worker:RetryMaxDelay</c>).
    /// </summary>
    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        // Under the worker's own consumer name unless told otherwise, so one name finds a replica in both groups.
        var workerConsumerName = builder.Configuration["Worker:ConsumerName"];
        builder.Services.AddOptions<NotificationOptions>()
            .BindConfiguration(NotificationOptions.SectionName)
            .PostConfigure(options => options.ConsumerName ??= string.IsNullOrEmpty(workerConsumerName) ? null : workerConsumerName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidation>();
        // AddWorkerServices binds and validates these too; bound here as well so the notifications, run on their own,
        // still take the configured backoff rather than the defaults.
        builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName);

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

        // Spans of outgoing requests record the URL, and a Slack webhook's path is its credential. The worker
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
        builder.Services.TryAddSingleton<WorkerTelemetry>();
        builder.Services.AddSingleton<INotificationChannel, SlackChannel>();
        builder.Services.AddSingleton<INotificationChannel, WebhookChannel>();
        builder.Services.AddSingleton<INotificationChannel, EmailChannel>();
        builder.Services.AddSingleton<INotificationChannel, SmsChannel>();
        builder.Services.AddSingleton<NotificationAttemptWriter>();
        builder.Services.AddSingleton<NotificationConsumer>();
        builder.Services.AddSingleton<NotificationDispatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<NotificationDispatcher>());
        return builder;
    }
}
