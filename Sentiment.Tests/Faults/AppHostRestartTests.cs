using Sentiment.Cli.Load;
using Sentiment.Tests.AppHost;
using Sentiment.Tests.Support;
using Xunit.Abstractions;

namespace Sentiment.Tests.Faults;

/// <summary>
/// The AppHost stopped with SIGTERM (Ctrl+C) while a backlog waits, and started again on the same data root, as
/// <c>./run.sh</c> would be: the backlog survives in Redis's append-only file and is processed, and nothing is lost.
/// </summary>
[Collection(FaultCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AppHostRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AppHost_restarted_with_a_backlog_loses_and_duplicates_nothing()
    {
        const int Messages = 5_000;
        var dataRoot = Directory.CreateTempSubdirectory("sentiment-restart-tests-");
        // The same ports across both hosts, so the client keeps its addresses, as with ./run.sh's 5080 and 5081.
        var ingestPort = LoopbackPorts.GetFree();
        var dashboardPort = LoopbackPorts.GetFree();
        string[] arguments = [$"--AppHost:Ports:ingest={ingestPort}", $"--AppHost:Ports:dashboard={dashboardPort}"];
        AppHostProcess? second = null;
        try
        {
            await using var first = AppHostProcess.Start(arguments, dataRoot);
            await first.WaitUntilReadyAsync();
            var credentials = LocalCredentials.Read(dataRoot.FullName);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var dashboard = new Uri($"http://localhost:{dashboardPort}/");
            var plan = FaultSystemFixture.Plan(Messages, rate: 0) with { StoreTimeout = TimeSpan.FromMinutes(3) };
            long backlogAtStop = -1;
            var exitCode = -1;
            LoadRun? run = null;
            run = new LoadRun(
                http, new Uri($"http://localhost:{ingestPort}/"), credentials.IngestApiKey, dashboard, credentials.ReadApiKey, plan,
                async cancellationToken =>
                {
                    var children = first.Children().ToList();
                    var accepted = run!.Sender.AcceptedCount;
                    var stored = await new StoredResults(http, dashboard, credentials.ReadApiKey).CountAsync(plan.Source, cancellationToken);
                    await first.SignalAsync("TERM");
                    backlogAtStop = accepted - (stored ?? 0);
                    exitCode = await first.Exited.WaitAsync(StopTimeout, cancellationToken);
                    await AppHostProcess.WaitUntilGoneAsync(children, StopTimeout);
                    second = AppHostProcess.Start(arguments, dataRoot);
                    await second.WaitUntilReadyAsync();
                },
                faultAfter: Messages * 3 / 4);

            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
            var report = await run.RunAsync(timeout.Token);
            output.WriteLine($"{report} backlog_at_stop={backlogAtStop}");

            Assert.True(report.IsExact, report.ToString());
            Assert.Equal(Messages, report.Stored);
            Assert.Equal(0, exitCode);
            Assert.True(backlogAtStop > 0, $"No backlog when the AppHost was stopped ({backlogAtStop}).");
        }
        finally
        {
            if (second is not null)
            {
                await second.DisposeAsync();
            }

            dataRoot.Delete(recursive: true);
        }
    }
}
