using System.Diagnostics;
using System.Globalization;
using Sentiment.AppHost.Hosting;
using Sentiment.AppHost.Infrastructure;
using Sentiment.AppHost.Processes;
using Xunit.Sdk;

namespace Sentiment.Tests.AppHost;

/// <summary>
/// Sentiment.AppHost run as a real process (<c>dotnet Sentiment.AppHost.dll</c>), with its data in a temporary folder
/// and the ingest API and dashboard on free ports. Disposing it kills whatever is left, so a failed test leaves nothing.
/// </summary>
public sealed class AppHostProcess : IAsyncDisposable, IChildOutput
{
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    private readonly List<string> _lines = [];
    private readonly HashSet<ProcessEntry> _seen = [];
    private TaskCompletionSource _lineAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ChildProcess? _process;
    private ProcessEntry? _host;

    private AppHostProcess(DirectoryInfo dataRoot, int ingestPort, int dashboardPort)
    {
        DataRoot = dataRoot;
        IngestUrl = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{ingestPort}");
        DashboardUrl = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{dashboardPort}");
    }

    public DirectoryInfo DataRoot { get; }

    public string IngestUrl { get; }

    public string DashboardUrl { get; }

    public int ProcessId => Started.Id;

    public Task<int> Exited => Started.Exited;

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

    private ChildProcess Started => _process ?? throw new InvalidOperationException("Not started.");

    /// <summary>Starts the host with a temporary data root, free ports, and <paramref name="arguments"/> after them.</summary>
    public static async Task<AppHostProcess> StartAsync(
        IEnumerable<string>? arguments = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var host = new AppHostProcess(
            Directory.CreateTempSubdirectory("sentiment-apphost-tests-"), LoopbackPorts.GetFree(), LoopbackPorts.GetFree());
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            // The test runner's own settings must not leak into the host under test.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
            ["ConnectionStrings__redis"] = null,
            ["ConnectionStrings__sentimentdb"] = null,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }

        try
        {
            host._process = await ChildProcess.StartAsync(new ChildProcessSpec
        {
            Name = "apphost",
            FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? ExecutableFinder.Find("dotnet") ?? "dotnet",
            Arguments =
            [
                HostAssembly,
                "--data-root", host.DataRoot.FullName,
                "--AppHost:Ports:ingest", new Uri(host.IngestUrl).Port.ToString(CultureInfo.InvariantCulture),
                "--AppHost:Ports:dashboard", new Uri(host.DashboardUrl).Port.ToString(CultureInfo.InvariantCulture),
                .. arguments ?? [],
            ],
            WorkingDirectory = AppHostBuildInfo.RepositoryRoot,
            Environment = variables,
        }, host);
        }
        catch
        {
            host.DataRoot.Delete(recursive: true);
            throw;
        }

        host._host = ProcessTree.Read(host._process.Id);
        return host;
    }

    /// <summary>The host's build output, built with the tests through the project reference.</summary>
    public static string HostAssembly { get; } =
        AppHostBuildInfo.OutputAssembly(Path.Combine(AppHostBuildInfo.ProjectDirectory, "Sentiment.AppHost.csproj"));

    public void WriteLine(string source, string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
            _lineAdded.TrySetResult();
            _lineAdded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Waits for an output line that matches, failing with the output if it does not come in time.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string awaited)
    {
        var deadline = Stopwatch.StartNew();
        var next = 0;
        while (true)
        {
            Task lineAdded;
            lock (_lines)
            {
                for (; next < _lines.Count; next++)
                {
                    if (match(_lines[next]))
                    {
                        return _lines[next];
                    }
                }

                lineAdded = _lineAdded.Task;
            }

            if (Exited.IsCompleted)
            {
                throw new XunitException($"The AppHost exited with code {Exited.Result} before {awaited}. Output:{Environment.NewLine}{Output}");
            }

            var remaining = timeout - deadline.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                throw new XunitException($"Timed out after {timeout.TotalSeconds:0} s waiting for {awaited}. Output:{Environment.NewLine}{Output}");
            }

            await Task.WhenAny(lineAdded, Exited, Task.Delay(remaining));
        }
    }

    public Task<string> WaitUntilReadyAsync() =>
        WaitForLineAsync(line => line.Contains("Sentiment is ready", StringComparison.Ordinal), StartupTimeout, "the ready line");

    /// <summary>Every process the host has started, as seen now and at earlier calls, so none escapes a later check.</summary>
    public IReadOnlyCollection<ProcessEntry> Children()
    {
        // Once the host is gone its id may be another process's, whose children are none of this test's business.
        if (_host is not { IsRunning: true })
        {
            return _seen;
        }

        foreach (var child in ProcessTree.Descendants(ProcessId))
        {
            _seen.Add(child);
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
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var deadline = Stopwatch.StartNew();
        while (watched.Any(process => process.IsRunning))
        {
            if (deadline.Elapsed > timeout)
            {
                var left = string.Join(Environment.NewLine, watched.Where(process => process.IsRunning));
                throw new XunitException($"After {timeout.TotalSeconds:0} s these processes still run:{Environment.NewLine}{left}");
            }

            await poll.WaitForNextTickAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_process is not null)
            {
                var children = Children();
                if (!_process.Exited.IsCompleted)
                {
                    await _process.StopAsync(TimeSpan.FromSeconds(30));
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
        }
        finally
        {
            if (DataRoot.Exists)
            {
                DataRoot.Delete(recursive: true);
            }
        }
    }
}
