namespace Sentiment.AppHost.Processes;

/// <summary>
/// A resource that runs as one child process: it can be started (returning once the resource is ready), watched,
/// stopped, and started again after a crash.
/// </summary>
public abstract class ResourceProcess(string name, IChildOutput? output)
{
    private ChildProcess? _current;

    /// <summary>Resource or replica name, as it prefixes log lines.</summary>
    public string Name { get; } = name;

    /// <summary>How long <see cref="StartAsync"/> waits for the resource to become ready.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long <see cref="StopAsync"/> waits after the stop signal before it kills the process.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The running process's id, or null when none runs.</summary>
    public int? ProcessId => _current is { Exited.IsCompleted: false } current ? current.Id : null;

    /// <summary>Starts the process and returns once it is ready; fails with its last output if it exits or times out.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (ProcessId is not null)
        {
            throw new InvalidOperationException($"{Name} is running already.");
        }

        await PrepareAsync(cancellationToken);
        var child = await ChildProcess.StartAsync(CreateSpec(), output);
        _current = child;

        using var readiness = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        readiness.CancelAfter(StartupTimeout);
        var ready = WaitUntilReadyAsync(readiness.Token);
        try
        {
            if (await Task.WhenAny(ready, child.Exited) == child.Exited)
            {
                await readiness.CancelAsync();
                throw new ResourceStartException(
                    $"{Name} exited with code {child.Exited.Result} before it was ready.", child.RecentOutput);
            }

            await ready;

            // Asked to stop just as it became ready: it must not outlive the stop that was already handled.
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await child.StopAsync(StopTimeout);
            throw new ResourceStartException(
                $"{Name} was not ready within {StartupTimeout.TotalSeconds:0} s.", child.RecentOutput);
        }
        catch (Exception exception) when (exception is not ResourceStartException)
        {
            await child.StopAsync(StopTimeout);
            throw;
        }
        finally
        {
            // The readiness probe may still be running after the process exited; let it finish quietly.
            await ready.ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Completes with the exit code when the current process exits.</summary>
    public Task<int> WaitForExitAsync(CancellationToken cancellationToken) =>
        _current is null ? throw new InvalidOperationException($"{Name} was never started.") : _current.Exited.WaitAsync(cancellationToken);

    /// <summary>Stops the process gracefully, killing it after <see cref="StopTimeout"/>.</summary>
    public Task StopAsync() => _current?.StopAsync(StopTimeout) ?? Task.CompletedTask;

    /// <summary>One-time work before each start, such as creating folders.</summary>
    protected virtual Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected abstract ChildProcessSpec CreateSpec();

    /// <summary>Returns once the resource answers; polled until <paramref name="cancellationToken"/> fires.</summary>
    protected abstract Task WaitUntilReadyAsync(CancellationToken cancellationToken);

    /// <summary>Polls <paramref name="probe"/> until it returns true.</summary>
    protected static async Task PollAsync(Func<CancellationToken, Task<bool>> probe, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        while (!await probe(cancellationToken))
        {
            await timer.WaitForNextTickAsync(cancellationToken);
        }
    }
}
