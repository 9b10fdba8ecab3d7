using System.Diagnostics;

namespace Sentiment.Cli.Chaos;

/// <summary>A user's fault, a shell command line (<c>/bin/sh -c</c>), run once mid-load with its output passed through.</summary>
public sealed class FaultCommand(string commandLine, TextWriter output)
{
    /// <summary>The command's exit code, once it has run.</summary>
    public int? ExitCode { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(commandLine);
        var clock = Stopwatch.StartNew();
        lock (output)
        {
            output.WriteLine($"fault: {commandLine}");
        }

        using var process = Process.Start(start)!;
        var lines = Task.WhenAll(PassThroughAsync(process.StandardOutput), PassThroughAsync(process.StandardError));
        await process.WaitForExitAsync(cancellationToken);
        await lines;
        ExitCode = process.ExitCode;
        lock (output)
        {
            output.WriteLine($"fault: exited with {process.ExitCode} after {clock.Elapsed.TotalSeconds:0.0} s");
        }
    }

    private async Task PassThroughAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (output)
            {
                output.WriteLine($"fault| {line}");
            }
        }
    }
}
