using Sentiment.Contracts;
using Sentiment.Ingest.Authentication;
using Sentiment.Ingest.Backpressure;
using Sentiment.Ingest.Publishing;
using Sentiment.Ingest.Telemetry;
using Sentiment.ServiceDefaults.Authentication;

namespace Sentiment.Ingest;

public static class IngestServiceExtensions
{
    public static IHostApplicationBuilder AddIngestServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(ResourceNames.Redis);

        builder.Services.AddOptions<IngestOptions>()
            .BindConfiguration(IngestOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.AddIngestAuthentication();    // Authentication/IngestAuthenticationExtensions.cs
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(openApi => openApi.AddApiKeySecurity(
            "An ingest key, as 'Authorization: Bearer <key>' (or 'X-Api-Key: <key>'); 'sentiment keys create' makes one."));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IngestTelemetry>();
        builder.Services.AddSingleton<BacklogMonitor>();
        builder.Services.AddHostedService(services => services.GetRequiredService<BacklogMonitor>());
        builder.Services.AddSingleton<FeedbackPublisher>();
        return builder;
    }
}
