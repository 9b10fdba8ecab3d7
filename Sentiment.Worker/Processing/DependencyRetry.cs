using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Sentiment.Worker.Processing;

/// <summary>
/// Runs a call to Redis or PostgreSQL until it succeeds, waiting with exponential backoff and jitter while the
/// dependency is down, and reports the outage to <see cref="ProcessingHealth"/>. Failures that are not outages
/// (see <see cref="DependencyFailure"/>) are thrown at once. Only cancellation ends the waiting: the messages in
/// hand are never given up because a dependency is away.
/// </summary>
public sealed class DependencyRetry
{
    private static readonly ResiliencePropertyKey<Dependency> DependencyKey = new("sentiment.dependency");

    private readonly ResiliencePipeline _pipeline;
    private readonly ProcessingHealth _health;

    public DependencyRetry(IOptions<WorkerOptions> options, ProcessingHealth health, TimeProvider time, ILogger<DependencyRetry> logger)
    {
        _health = health;
        _pipeline = CreatePipeline(
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

    /// <summary>
    /// The same waiting (transient failures only, no limit on tries, <c>Worker:RetryBaseDelay</c> doubling up to
    /// <c>Worker:RetryMaxDelay</c>) for a caller that reports the outage its own way rather than to
    /// <see cref="ProcessingHealth"/>.
    /// </summary>
    public static ResiliencePipeline CreatePipeline(WorkerOptions options, TimeProvider time, Func<OnRetryArguments<object>, ValueTask> onRetry) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(DependencyFailure.IsTransient),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                OnRetry = onRetry,
            })
            .Build();

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
