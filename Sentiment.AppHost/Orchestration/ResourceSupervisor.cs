using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sentiment.AppHost.Processes;

namespace Sentiment.AppHost.Orchestration;

/// <summary>
/// Keeps one process running: starts it, and after it crashes or fails to become ready, starts it again after a
/// delay that doubles each time (1 s up to 30 s) and resets once it has run well for a minute.
/// </summary>
internal sealed class ResourceSupervisor(ResourceProcess process, ILogger logger)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StableAfter = TimeSpan.FromMinutes(1);

    private readonly TaskCompletionSource _firstReady = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ResourceProcess Process => process;

    /// <summary>Completes when the process is ready the first time.</summary>
    public Task FirstReady => _firstReady.Task;

    /// <summary>Runs until <paramref name="stopping"/> fires. Errors other than a failed start end it, and the host.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var delay = FirstDelay;
        while (!stopping.IsCancellationRequested)
        {
            var started = Stopwatch.StartNew();
            try
            {
                await process.StartAsync(stopping);
                logger.LogInformation("{Name} is ready (pid {ProcessId})", process.Name, process.ProcessId);
                _firstReady.TrySetResult();
                var exitCode = await process.WaitForExitAsync(stopping);
                logger.LogWarning("{Name} exited with code {ExitCode}", process.Name, exitCode);
                if (started.Elapsed >= StableAfter)
                {
                    delay = FirstDelay;
                }
            }
            catch (ResourceStartException exception)
            {
                logger.LogWarning("{Reason}", exception.Reason);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }

            logger.LogInformation("Restarting {Name} in {Delay} s", process.Name, delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }
}
