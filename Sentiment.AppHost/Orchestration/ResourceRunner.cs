using Sentiment.AppHost.ApplicationModel;

namespace Sentiment.AppHost.Orchestration;

/// <summary>Runs one resource of the app model once what it waits for is ready.</summary>
internal abstract class ResourceRunner(IResource resource)
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IResource Resource { get; } = resource;

    public List<ResourceRunner> WaitsFor { get; } = [];

    /// <summary>Completes when the resource is ready the first time.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Stop order: dependants (projects, 0) before databases (1) before servers (2).</summary>
    public abstract int StopTier { get; }

    /// <summary>Waits for the dependencies, runs the resource, and returns when <paramref name="stopping"/> fires.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        await Task.WhenAll(WaitsFor.Select(dependency => dependency.Ready)).WaitAsync(stopping);
        await RunCoreAsync(stopping);
    }

    public virtual Task StopAsync() => Task.CompletedTask;

    protected abstract Task RunCoreAsync(CancellationToken stopping);

    protected void MarkReady() => _ready.TrySetResult();
}
