using System.Collections.Concurrent;
using System.Diagnostics;

namespace Sentiment.Tests.Worker.Support;

/// <summary>
/// The worker as a real child process (<c>dotnet Sentiment.Worker.dll</c>), as the AppHost runs it, so a test can
/// kill it the hard way. Its output is kept for the failure message of the test.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private WorkerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the worker wrote.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <param name="directory">The worker build to run; the tests' own build of it by default.</param>
    public static WorkerProcess Start(
        string redisConnectionString, string databaseConnectionString, IReadOnlyDictionary<string, string>? settings = null, string? directory = null)
    {
        directory ??= WorkerOutputDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(directory, "Sentiment.Worker.dll"));
        start.Environment["ConnectionStrings__redis"] = redisConnectionString;
        start.Environment["ConnectionStrings__sentimentdb"] = databaseConnectionString;
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? WorkerApplication.FastTimings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return new WorkerProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
    }

    /// <summary>SIGKILL: no shutdown, no acknowledgement of the batch in hand.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
    }

    /// <summary>The worker's own build output, built with the tests (same configuration) through the project reference.</summary>
    private static string WorkerOutputDirectory()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;               // net10.0
        var configuration = testOutput.Parent!.Name;   // Debug or Release
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Sentiment.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"No Sentiment.sln above {AppContext.BaseDirectory}.");
        }

        var directory = Path.Combine(root.FullName, "Sentiment.Worker", "bin", configuration, framework);
        return File.Exists(Path.Combine(directory, "Sentiment.Worker.dll"))
            ? directory
            : throw new InvalidOperationException($"Sentiment.Worker.dll is not in {directory}; build the solution first.");
    }
}
