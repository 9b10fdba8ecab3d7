using Microsoft.Extensions.Options;
using Polly;
using Sentiment.Streams;

namespace Sentiment.Worker.Processing;

/// <summary>
/// Runs a call to Redis or PostgreSQL until it succeeds, waiting out an outage (<see cref="OutageRetry"/>), and
/// reports the outage to <see cref="ProcessingHealth"/>.
/// </summary>
public sealed class DependencyRetry
{
    private static readonly ResiliencePropertyKey<Dependency> DependencyKey = new("sentiment.dependency");

    private readonly ResiliencePipeline _pipeline;
    private readonly ProcessingHealth _health;

    public DependencyRetry(IOptions<WorkerOptions> options, ProcessingHealth health, TimeProvider time, ILogger<DependencyRetry> logger)
    {
        _health = health;
        _pipeline = OutageRetry.CreatePipeline(
            options.Value,
            time,
            arguments =>
            {
                var dependency = arguments.Context.Properties.GetValue(DependencyKey, default);
                health.ReportFailure(dependency, arguments.Outcome.Exception);
                logger.LogWarning(
                    "{Dependency} call failed (attempt {Attempt}): {Error}; retrying in {Delay}",
                    dependency,
                    arguments.AttemptNumber + 1,
                    arguments.Outcome.Exception?.Message,
                    arguments.RetryDelay);
                return default;
            });
    }

    public async Task<T> ExecuteAsync<T>(Dependency dependency, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(DependencyKey, dependency);
        try
        {
            var result = await _pipeline.ExecuteAsync(
                static async (context, operation) => await operation(context.CancellationToken),
                context,
                operation);
            _health.ReportSuccess(dependency);
            return result;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public Task ExecuteAsync(Dependency dependency, Func<CancellationToken, Task> operation, CancellationToken cancellationToken) =>
        ExecuteAsync(
            dependency,
            async token =>
            {
                await operation(token);
                return true;
            },
            cancellationToken);
}
