using Microsoft.Extensions.Logging;

namespace Sentiment.AppHost.Orchestration;

/// <summary>
/// Starts every resource once what it waits for is ready, prints the URLs when all are, and when asked to stop (or
/// when a resource fails for good) stops the projects, then the databases, then the servers.
/// </summary>
internal sealed class Orchestrator(ApplicationPlan plan, ILogger logger)
{
    /// <summary>Runs until <paramref name="stop"/> fires; returns the exit code once every child has stopped.</summary>
    public async Task<int> RunAsync(CancellationToken stop)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var failed = false;
        async Task WatchAsync(ResourceRunner runner)
        {
            try
            {
                await runner.RunAsync(stopping.Token);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopping.
            }
            catch (Exception exception)
            {
                logger.LogError("{Name} failed: {Error}", runner.Resource.Name, exception.Message);
                failed = true;
                await stopping.CancelAsync();
            }
        }

        var runs = plan.Runners.Select(WatchAsync).ToList();
        try
        {
            await Task.WhenAll(plan.Runners.Select(runner => runner.Ready)).WaitAsync(stopping.Token);
            var urls = string.Join(", ", plan.ExternalUrls.Select(entry => $"{entry.Name} {entry.Url}"));
            logger.LogInformation("Sentiment is ready: {Urls}", urls);
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop, or a resource failed.
        }

        logger.LogInformation("Stopping");
        foreach (var tier in plan.Runners.GroupBy(runner => runner.StopTier).OrderBy(tier => tier.Key))
        {
            await Task.WhenAll(tier.Select(runner => runner.StopAsync()));
        }

        await Task.WhenAll(runs);
        logger.LogInformation("Stopped");
        return failed ? 1 : 0;
    }
}
