using Polly;
using Polly.Retry;

namespace Sentiment.Streams;

/// <summary>
/// Waits out an outage of Redis or PostgreSQL: retries transient failures (<see cref="DependencyFailure.IsTransient"/>)
/// without a limit on tries, <see cref="ConsumerGroupOptions.RetryBaseDelay"/> doubling with jitter up to
/// <see cref="ConsumerGroupOptions.RetryMaxDelay"/>. Only cancellation ends the waiting: what a consumer has in hand is
/// never given up because a dependency is away. Failures that are not outages are thrown at once.
/// </summary>
public static class OutageRetry
{
    /// <param name="onRetry">How the caller reports the outage (a log line, a health check going red).</param>
    public static ResiliencePipeline CreatePipeline(
        ConsumerGroupOptions options, TimeProvider time, Func<OnRetryArguments<object>, ValueTask> onRetry) =>
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
}
