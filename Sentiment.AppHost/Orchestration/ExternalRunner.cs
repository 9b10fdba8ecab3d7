using Microsoft.Extensions.Logging;
using Sentiment.AppHost.ApplicationModel;

namespace Sentiment.AppHost.Orchestration;

/// <summary>A resource the host does not start, given as <c>ConnectionStrings__{name}</c>: ready once it answers.</summary>
internal sealed class ExternalRunner(IResource resource, Func<CancellationToken, Task<bool>> probe, ILogger logger)
    : ResourceRunner(resource)
{
    public override int StopTier => 2;

    protected override async Task RunCoreAsync(CancellationToken stopping)
    {
        logger.LogInformation("{Name}: using the server its connection string names; starting none", Resource.Name);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var attempts = 0;
        while (!await probe(stopping))
        {
            if (++attempts == 5)
            {
                logger.LogWarning("{Name}: still waiting for the server its connection string names to answer", Resource.Name);
            }

            await timer.WaitForNextTickAsync(stopping);
        }

        logger.LogInformation("{Name} is ready", Resource.Name);
        MarkReady();
    }
}
