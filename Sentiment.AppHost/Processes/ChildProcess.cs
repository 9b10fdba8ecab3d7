using System.ComponentModel;
using System.Diagnostics;

namespace Sentiment.AppHost.Processes;

/// <summary>A running child process: its output goes, line by line, to an <see cref="IChildOutput"/>.</summary>
public sealed class ChildProcess
{
    private readonly Process _process;
    private readonly StopSignal _stopSignal;
    private readonly OutputTail _tail;

    private ChildProcess(string name, Process process, StopSignal stopSignal, OutputTail tail)
    {
        Name = name;
        _process = process;
        _stopSignal = stopSignal;
        _tail = tail;
        Id = process.Id;
        Exited = WaitForExitCodeAsync();
    }

    public string Name { get; }

    public int Id { get; }

    /// <summary>Completes with the exit code once the process has exited and its output has been read.</summary>
    public Task<int> Exited { get; }

    /// <summary>The last lines the process wrote, for error messages when it fails to start.</summary>
    public string RecentOutput => _tail.ToString();

    public static async Task<ChildProcess> StartAsync(ChildProcessSpec spec, IChildOutput? output)
    {
        var tail = new OutputTail();
        void Receive(string? line)
        {
            if (line is not null)
            {
                tail.Add(line);
                output?.WriteLine(spec.Name, line);
            }
        }

        Process process;
        try
        {
            process = await ProcessLauncher.Shared.StartAsync(spec, p =>
            {
                p.OutputDataReceived += (_, e) => Receive(e.Data);
                p.ErrorDataReceived += (_, e) => Receive(e.Data);
            });
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException($"Could not start {spec.Name} ({spec.FileName}): {exception.Message}", exception);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            if (spec.StandardInput is not null)
            {
                await process.StandardInput.WriteAsync(spec.StandardInput);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It exited before reading its input; the caller sees the exit code and the output.
        }

        return new ChildProcess(spec.Name, process, spec.StopSignal, tail);
    }

    /// <summary>
    /// Asks the process to stop with its stop signal and waits up to <paramref name="gracePeriod"/>; then kills it and
    /// anything it started.
    /// </summary>
    public async Task StopAsync(TimeSpan gracePeriod)
    {
        // Exited completes only once the output is read too; HasExited knows as soon as the process is reaped, after
        // which its id may belong to another process.
        if (Exited.IsCompleted || _process.HasExited)
        {
            await Exited;
            return;
        }

        if (OperatingSystem.IsLinux())
        {
            _ = NativeMethods.Kill(Id, (int)_stopSignal);
        }
        else
        {
            Kill();
        }

        try
        {
            await Exited.WaitAsync(gracePeriod);
        }
        catch (TimeoutException)
        {
            Kill();
            await Exited;
        }
    }

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }
    }

    private async Task<int> WaitForExitCodeAsync()
    {
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    private sealed class OutputTail
    {
        private const int Capacity = 40;
        private readonly Queue<string> _lines = new();

        public void Add(string line)
        {
            lock (_lines)
            {
                if (_lines.Count == Capacity)
                {
                    _lines.Dequeue();
                }

                _lines.Enqueue(line);
            }
        }

        public override string ToString()
        {
            lock (_lines)
            {
                return string.Join(Environment.NewLine, _lines);
            }
        }
    }
}
