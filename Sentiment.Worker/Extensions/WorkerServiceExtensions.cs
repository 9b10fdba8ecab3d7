using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Sentiment.Contracts;
using Sentiment.Model.Classification;
using Sentiment.Storage;
using Sentiment.Worker.Processing;
using Sentiment.Worker.Publishing;
using Sentiment.Worker.Retention;
using Sentiment.Worker.Storage;
using Sentiment.Worker.Telemetry;

namespace Sentiment.Worker;

public static class WorkerServiceExtensions
{
    public static IHostApplicationBuilder AddWorkerServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(ResourceNames.Redis);

        // One pooled data source per process: the batch writes use it directly (unnest, NpgsqlBatch), and EF Core's
        // pooled contexts open their connections from it; Aspire adds the health check, tracing and metrics.
        builder.AddNpgsqlDataSource(ResourceNames.Database);
        builder.Services.AddDbContextPool<SentimentDbContext>((services, options) =>
            options.UseNpgsql(services.GetRequiredService<NpgsqlDataSource>()));
        builder.EnrichNpgsqlDbContext<SentimentDbContext>(settings => settings.DisableRetry = true);

        builder.Services.AddOptions<WorkerOptions>()
            .BindConfiguration(WorkerOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                options => options.RetryMaxDelay >= options.RetryBaseDelay,
                "Worker:RetryMaxDelay must be at least Worker:RetryBaseDelay.")
            .ValidateOnStart();

        // One story for batch sizes: Worker:BatchSize entries are read, classified and stored together, and the model
        // runs them in one ONNX Runtime run. So Model:MaxBatchSize follows Worker:BatchSize unless it is set, and a
        // smaller one (which would cut every batch into several runs) stops the start.
        var modelBatchIsSet = builder.Configuration[$"{ModelOptions.SectionName}:{nameof(ModelOptions.MaxBatchSize)}"] is not null;
        builder.Services.AddOptions<ModelOptions>()
            .PostConfigure<IOptions<WorkerOptions>>((model, worker) =>
            {
                if (!modelBatchIsSet)
                {
                    model.MaxBatchSize = worker.Value.BatchSize;
                }
            })
            .Validate<IOptions<WorkerOptions>>(
                (model, worker) => model.MaxBatchSize >= worker.Value.BatchSize,
                "Model:MaxBatchSize must be at least Worker:BatchSize (each batch read is classified in one model run); leave it unset to follow Worker:BatchSize.")
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
        builder.Services.AddSingleton<BatchClassifier>();
        builder.Services.AddSingleton<BatchCommitter>();
        builder.Services.AddHostedService<StreamWorker>();
        builder.Services.AddSingleton<StreamTrimmer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<StreamTrimmer>());
        builder.Services.AddSingleton<SearchIndexFlusher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SearchIndexFlusher>());
        builder.Services.AddSingleton<ConsumerGroupMonitor>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ConsumerGroupMonitor>());

        builder.Services.AddHealthChecks().AddCheck<ProcessingHealthCheck>("stream-processing", tags: ["ready"]);
        return builder;
    }
}
