using Microsoft.Extensions.Logging;
using Sentiment.AppHost.ApplicationModel;
using Sentiment.AppHost.Processes;

namespace Sentiment.AppHost.Orchestration;

/// <summary>A resource made of supervised processes: a server, or a project's replicas. Ready when all are.</summary>
internal sealed class ProcessRunner(IResource resource, IReadOnlyList<ResourceProcess> processes, ILogger logger)
    : ResourceRunner(resource)
{
    private readonly List<ResourceSupervisor> _supervisors = processes.Select(p => new ResourceSupervisor(p, logger)).ToList();

    public IReadOnlyList<ResourceProcess> Processes { get; } = processes;

    public override int StopTier => Resource is ProjectResource ? 0 : 2;

    public override Task StopAsync() => Task.WhenAll(Processes.Select(process => process.StopAsync()));

    protected override async Task RunCoreAsync(CancellationToken stopping)
    {
        var running = _supervisors.Select(supervisor => supervisor.RunAsync(stopping)).ToList();
        var ready = Task.WhenAll(_supervisors.Select(supervisor => supervisor.FirstReady));

        // A supervisor that ends before stopping has failed for good; let its exception through.
        var first = await Task.WhenAny(running.Append(ready));
        if (first == ready)
        {
            MarkReady();
        }

        await Task.WhenAll(running);
    }
}
