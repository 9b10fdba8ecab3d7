using System.Diagnostics;
using System.Globalization;
using Sentiment.Tests.Model;
using Sentiment.Tests.Support;
using Xunit.Sdk;

namespace Sentiment.Tests.AppHost;

/// <summary>
/// Sentiment.AppHost run as a real process (<c>dotnet Sentiment.AppHost.dll</c>, as <c>./run.sh</c> does through
/// <c>dotnet run</c>), with its data in a temporary folder and every port free. Disposing it kills whatever is left.
/// </summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(3);

    private readonly List<string> _lines = [];
    private readonly HashSet<ProcessEntry> _seen = [];
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _ownsDataRoot;

    private AppHostProcess(Process process, DirectoryInfo dataRoot, bool ownsDataRoot)
    {
        _process = process;
        DataRoot = dataRoot;
        _ownsDataRoot = ownsDataRoot;
    }

    public DirectoryInfo DataRoot { get; }

    public int ProcessId => _process.Id;

    public Task<int> Exited => _exited.Task;

    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join(Environment.NewLine, _lines);
            }
        }
    }

    /// <summary>The AppHost's build output, built with the tests through the project reference.</summary>
    public static string HostAssembly { get; } = Path.Combine(ModelTestPaths.BuildOutput("Sentiment.AppHost"), "Sentiment.AppHost.dll");

    /// <summary>Starts the host with a temporary data root, free ports, and <paramref name="arguments"/> after them.</summary>
    /// <param name="dataRoot">
    /// A data root of the caller's (to start again on what an earlier host left), which disposing leaves in place;
    /// by default a new temporary one, deleted on disposing.
    /// </param>
    public static AppHostProcess Start(IEnumerable<string>? arguments = null, DirectoryInfo? dataRoot = null)
    {
        var ownsDataRoot = dataRoot is null;
        dataRoot ??= Directory.CreateTempSubdirectory("sentiment-apphost-tests-");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = ModelTestPaths.RepositoryRoot,
        };
        foreach (var argument in (string[])[
            HostAssembly,
            $"--AppHost:DataRoot={dataRoot.FullName}",
            $"--AppHost:Ports:ingest={LoopbackPorts.GetFree()}",
            $"--AppHost:Ports:dashboard={LoopbackPorts.GetFree()}",
            .. arguments ?? []])
        {
            start.ArgumentList.Add(argument);
        }

        // What the launch profile gives `dotnet run`, on free ports, so the Aspire dashboard starts too.
        start.Environment["ASPNETCORE_URLS"] = FreeUrl();
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = FreeUrl();
        start.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = FreeUrl();
        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";

        // The test runner's own settings must not leak into the host under test.
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        start.Environment.Remove("ConnectionStrings__redis");
        start.Environment.Remove("ConnectionStrings__sentimentdb");

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var host = new AppHostProcess(process, dataRoot, ownsDataRoot);
        process.OutputDataReceived += (_, e) => host.Add(e.Data);
        process.ErrorDataReceived += (_, e) => host.Add(e.Data);
        process.Exited += (_, _) => host._exited.TrySetResult(process.ExitCode);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits for an output line that matches, failing with the output if it does not come in time.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string awaited)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            lock (_lines)
            {
                if (_lines.FirstOrDefault(match) is { } line)
                {
                    return line;
                }
            }

            if (Exited.IsCompleted)
            {
                throw new XunitException($"The AppHost exited with code {Exited.Result} before {awaited}. Output:{Environment.NewLine}{Output}");
            }

            if (deadline.Elapsed > timeout)
            {
                throw new XunitException($"Timed out after {timeout.TotalSeconds:0} s waiting for {awaited}. Output:{Environment.NewLine}{Output}");
            }

            Children(); // Note the processes as they come, so none that exits early escapes a later check.
            await Task.Delay(100);
        }
    }

    public Task<string> WaitUntilReadyAsync() =>
        WaitForLineAsync(line => line.Contains("Sentiment is ready", StringComparison.Ordinal), StartupTimeout, "the ready line");

    /// <summary>
    /// Every process the host has started, as seen now and at earlier calls: Aspire's orchestrator (DCP, which runs
    /// detached and watches the host's pid) and everything it runs.
    /// </summary>
    public IReadOnlyCollection<ProcessEntry> Children()
    {
        if (!Exited.IsCompleted)
        {
            var monitor = string.Create(CultureInfo.InvariantCulture, $"--monitor {ProcessId} ");
            foreach (var orchestrator in ProcessTree.All().Where(process => process.CommandLine.Contains(monitor, StringComparison.Ordinal)))
            {
                _seen.Add(orchestrator);
                foreach (var child in ProcessTree.Descendants(orchestrator.Id))
                {
                    _seen.Add(child);
                }
            }

            foreach (var child in ProcessTree.Descendants(ProcessId))
            {
                _seen.Add(child);
            }
        }

        return _seen;
    }

    /// <summary>Sends <paramref name="signal"/> (TERM, KILL) to the host process alone, with kill(1).</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", ProcessId.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits until none of <paramref name="processes"/> runs, failing with those that still do.</summary>
    public static async Task WaitUntilGoneAsync(IEnumerable<ProcessEntry> processes, TimeSpan timeout)
    {
        var watched = processes.ToList();
        var deadline = Stopwatch.StartNew();
        while (watched.Any(process => process.IsRunning))
        {
            if (deadline.Elapsed > timeout)
            {
                var left = string.Join(Environment.NewLine, watched.Where(process => process.IsRunning));
                throw new XunitException($"After {timeout.TotalSeconds:0} s these processes still run:{Environment.NewLine}{left}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            var children = Children();
            if (!Exited.IsCompleted)
            {
                await SignalAsync("TERM");
                await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(30)));
                if (!Exited.IsCompleted)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }

            foreach (var child in children.Where(child => child.IsRunning))
            {
                try
                {
                    Process.GetProcessById(child.Id).Kill();
                }
                catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
                {
                    // Gone meanwhile.
                }
            }
        }
        finally
        {
            _process.Dispose();
            if (_ownsDataRoot && DataRoot.Exists)
            {
                DataRoot.Delete(recursive: true);
            }
        }
    }

    private static string FreeUrl() => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{LoopbackPorts.GetFree()}");

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }
    }
}
