using Microsoft.Extensions.DependencyInjection.Extensions;
using Sentiment.Core;
using Sentiment.Core.Storage;
using Sentiment.Worker.Processing;
using Sentiment.Worker.Publishing;
using Sentiment.Worker.Storage;
using Sentiment.Worker.Telemetry;

namespace Sentiment.Worker;

public static class WorkerServiceExtensions
{
    public static IHostApplicationBuilder AddWorkerServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(ResourceNames.Redis);
        builder.AddNpgsqlDbContext<SentimentDbContext>(ResourceNames.Database);

        builder.Services.AddOptions<WorkerOptions>()
            .BindConfiguration(WorkerOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                options => options.RetryMaxDelay >= options.RetryBaseDelay,
                "Worker:RetryMaxDelay must be at least Worker:RetryBaseDelay.")
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<WorkerTelemetry>();
        builder.Services.AddSingleton<ProcessingHealth>();
        builder.Services.AddSingleton<DependencyRetry>();
        builder.Services.AddSingleton<StreamConsumer>();
        builder.Services.AddSingleton<BatchReader>();
        builder.Services.AddSingleton<FeedbackClassifier>();
        builder.Services.AddSingleton<ResultWriter>();
        builder.Services.AddSingleton<ResultPublisher>();
        builder.Services.AddSingleton<BatchProcessor>();
        builder.Services.AddHostedService<StreamWorker>();
        builder.Services.AddSingleton<ConsumerGroupMonitor>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ConsumerGroupMonitor>());

        builder.Services.AddHealthChecks().AddCheck<ProcessingHealthCheck>("stream-processing", tags: ["ready"]);
        return builder;
    }
}
