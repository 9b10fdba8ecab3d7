using Sentiment.Contracts;
using Sentiment.Ingest.Backpressure;
using Sentiment.Ingest.Publishing;
using Sentiment.Ingest.Telemetry;

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

        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IngestTelemetry>();
        builder.Services.AddSingleton<BacklogMonitor>();
        builder.Services.AddHostedService(services => services.GetRequiredService<BacklogMonitor>());
        builder.Services.AddSingleton<FeedbackPublisher>();
        return builder;
    }
}
