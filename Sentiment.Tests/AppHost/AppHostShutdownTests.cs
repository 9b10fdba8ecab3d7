namespace Sentiment.Tests.AppHost;

/// <summary>The AppHost as <c>./run.sh</c> runs it: it says where to go, and whatever way it ends, nothing it started keeps running.</summary>
[Collection(AppHostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AppHostShutdownTests
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Host_stopped_with_SIGTERM_exits_0_and_leaves_no_process_behind()
    {
        await using var host = AppHostProcess.Start();
        var ready = await host.WaitUntilReadyAsync();
        var signIn = await host.WaitForLineAsync(line => line.Contains("Sign in to the dashboard", StringComparison.Ordinal), StopTimeout, "where the login is");
        var children = host.Children().ToList();
        AssertRunsEverything(children);
        // The services that keep running (the migrations finish and exit on their own).
        string[] running = ["/Sentiment.Ingest", "/Sentiment.Worker", "/Sentiment.Notifier", "/Sentiment.Dashboard"];
        var services = children.Where(child => running.Any(name => child.CommandLine.Split(' ')[0].EndsWith(name, StringComparison.Ordinal))).ToList();
        var environments = services.Select(service => ProcessTree.Environment(service.Id).GetValueOrDefault("ASPNETCORE_ENVIRONMENT")).Distinct().ToList();

        await host.SignalAsync("TERM");
        var exitCode = await host.Exited.WaitAsync(StopTimeout);

        Assert.Matches(@"Sentiment is ready: ingest http://localhost:\d+, dashboard http://localhost:\d+", ready);
        // It says where the credentials are, and never prints one.
        var credentials = LocalCredentials.Read(host.DataRoot.FullName);
        Assert.Contains($"Sign in to the dashboard as 'admin' with the password 'dashboard-password' in {host.DataRoot.FullName}/secrets.json", signIn, StringComparison.Ordinal);
        foreach (var secret in (string[])[credentials.DashboardPassword, credentials.IngestApiKey, credentials.ReadApiKey])
        {
            Assert.DoesNotContain(secret, host.Output, StringComparison.Ordinal);
        }

        // The services run as they would deployed: no developer exception page.
        Assert.Equal(5, services.Count);
        Assert.Equal(["Production"], environments);
        Assert.Contains(host.Output.Split(Environment.NewLine), line => line.Contains("Login to the dashboard at http://127.0.0.1:", StringComparison.Ordinal));
        Assert.Equal(0, exitCode);
        await AppHostProcess.WaitUntilGoneAsync(children, StopTimeout);
        Assert.Empty(ProcessesUsing(host.DataRoot));
    }

    [Fact]
    public async Task Host_killed_with_SIGKILL_leaves_no_process_behind()
    {
        await using var host = AppHostProcess.Start();
        await host.WaitUntilReadyAsync();
        var children = host.Children().ToList();
        AssertRunsEverything(children);

        await host.SignalAsync("KILL");
        await host.Exited.WaitAsync(StopTimeout);

        // Aspire's orchestrator watches the host's pid and stops everything once it is gone; nothing here stops them.
        await AppHostProcess.WaitUntilGoneAsync(children, StopTimeout);
        Assert.Empty(ProcessesUsing(host.DataRoot));
    }

    private static void AssertRunsEverything(IReadOnlyCollection<ProcessEntry> children)
    {
        var seen = string.Join(Environment.NewLine, children);
        Assert.True(children.Any(child => child.CommandLine.StartsWith("redis-server", StringComparison.Ordinal)), seen);
        Assert.True(children.Any(child => child.CommandLine.Contains("/postgres -D ", StringComparison.Ordinal)), seen);
        foreach (var project in (string[])["Sentiment.Ingest", "Sentiment.Worker", "Sentiment.Dashboard"])
        {
            Assert.True(children.Any(child => child.CommandLine.Split(' ')[0].EndsWith("/" + project, StringComparison.Ordinal)), $"{project} in:{Environment.NewLine}{seen}");
        }
    }

    /// <summary>Processes whose command line names the data root, such as postgres -D.</summary>
    private static List<ProcessEntry> ProcessesUsing(DirectoryInfo dataRoot) => ProcessTree.All()
        .Where(process => process.CommandLine.Contains(dataRoot.FullName, StringComparison.Ordinal) && process.IsRunning)
        .ToList();
}
