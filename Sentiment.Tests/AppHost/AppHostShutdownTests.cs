using System.Diagnostics;
using System.Globalization;

namespace Sentiment.Tests.AppHost;

/// <summary>Whatever way the host ends, nothing it started keeps running.</summary>
[Collection(AppHostCollection.Name)]
public sealed class AppHostShutdownTests
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Host_stopped_with_SIGTERM_exits_0_and_leaves_no_process_behind()
    {
        await using var host = await AppHostProcess.StartAsync();
        await host.WaitUntilReadyAsync();
        var children = host.Children().ToList();
        Assert.True(children.Count >= 6, $"expected redis, postgres and four projects, saw:{Environment.NewLine}{string.Join(Environment.NewLine, children)}");

        await host.SignalAsync("TERM");
        var exitCode = await host.Exited.WaitAsync(StopTimeout);

        Assert.Equal(0, exitCode);
        Assert.DoesNotContain(children, child => child.IsRunning);
        Assert.Empty(ProcessesUsing(host.DataRoot));
    }

    [Fact]
    public async Task Host_killed_with_SIGKILL_leaves_no_process_behind()
    {
        await using var host = await AppHostProcess.StartAsync();
        await host.WaitUntilReadyAsync();
        var children = host.Children().ToList();
        Assert.True(children.Count >= 6, $"expected redis, postgres and four projects, saw:{Environment.NewLine}{string.Join(Environment.NewLine, children)}");

        await host.SignalAsync("KILL");
        await host.Exited.WaitAsync(StopTimeout);

        // The children stop on their parent-death signal, on their own; nothing here stops them.
        await AppHostProcess.WaitUntilGoneAsync(children, StopTimeout);
        Assert.Empty(ProcessesUsing(host.DataRoot));
    }

    [Fact]
    public async Task Worker_killed_by_SIGKILL_is_restarted_and_ready_again()
    {
        await using var host = await AppHostProcess.StartAsync(["--AppHost:Replicas:worker", "1"]);
        await host.WaitUntilReadyAsync();
        var worker = host.Children().Single(child => child.CommandLine.EndsWith("/Sentiment.Worker.dll", StringComparison.Ordinal));

        Process.GetProcessById(worker.Id).Kill();

        var readyAgain = await host.WaitForLineAsync(
            line => line.Contains("worker is ready (pid ", StringComparison.Ordinal)
                && !line.Contains(string.Create(CultureInfo.InvariantCulture, $"(pid {worker.Id})"), StringComparison.Ordinal),
            AppHostProcess.StartupTimeout,
            "the restarted worker to be ready");
        Assert.Contains("worker exited with code 137", host.Output, StringComparison.Ordinal);
        Assert.Contains("Restarting worker in 1 s", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(string.Create(CultureInfo.InvariantCulture, $"(pid {worker.Id})"), readyAgain, StringComparison.Ordinal);
    }

    /// <summary>Processes whose command line names the data root, such as postgres -D.</summary>
    private static List<ProcessEntry> ProcessesUsing(DirectoryInfo dataRoot) => ProcessTree.All()
        .Where(process => process.CommandLine.Contains(dataRoot.FullName, StringComparison.Ordinal) && process.IsRunning)
        .ToList();
}
