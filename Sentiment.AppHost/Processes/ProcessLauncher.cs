using System.Collections.Concurrent;
using System.Diagnostics;

namespace Sentiment.AppHost.Processes;

/// <summary>
/// Starts every child process from one long-lived thread, wrapped so that the child cannot outlive the host.
/// </summary>
/// <remarks>
/// Children are started as <c>setsid setpriv --pdeathsig SIG -- program ...</c>. <c>setpriv</c> sets
/// PR_SET_PDEATHSIG, so the kernel signals the child when its parent dies, even by SIGKILL. The kernel means the
/// parent <em>thread</em>: the one that forked. <see cref="Process.Start()"/> forks on the calling thread, and a
/// thread-pool thread may retire at any time, which would stop a healthy child. Hence this dedicated thread, which
/// lives as long as the process. <c>setsid</c> gives the child its own session, so a Ctrl+C in the terminal reaches
/// only the host, which then stops the children in order. Neither tool forks here (the child of .NET's fork is not a
/// process group leader), so the pid of the started process is the pid of the program itself.
/// </remarks>
public sealed class ProcessLauncher
{
    private readonly BlockingCollection<Action> _work = [];
    private readonly string? _setsid;
    private readonly string? _setpriv;

    private ProcessLauncher()
    {
        if (OperatingSystem.IsLinux())
        {
            _setsid = ExecutableFinder.Find("setsid", "/usr/bin", "/bin");
            _setpriv = ExecutableFinder.Find("setpriv", "/usr/bin", "/bin");
        }

        var thread = new Thread(() =>
        {
            foreach (var start in _work.GetConsumingEnumerable())
            {
                start();
            }
        })
        {
            IsBackground = true,
            Name = "Child process launcher",
        };
        thread.Start();
    }

    public static ProcessLauncher Shared { get; } = new();

    /// <summary>Starts the process on the launcher thread; <paramref name="start"/> runs there.</summary>
    public Task<Process> StartAsync(ChildProcessSpec spec, Action<Process> beforeStart)
    {
        var info = CreateStartInfo(spec);
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                var process = new Process { StartInfo = info, EnableRaisingEvents = true };
                beforeStart(process);
                process.Start();
                started.SetResult(process);
            }
            catch (Exception exception)
            {
                started.SetException(exception);
            }
        });
        return started.Task;
    }

    private ProcessStartInfo CreateStartInfo(ChildProcessSpec spec)
    {
        var info = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = spec.WorkingDirectory ?? "",
        };

        if (OperatingSystem.IsLinux())
        {
            if (_setsid is null || _setpriv is null)
            {
                throw new MissingDependencyException("setsid/setpriv", "util-linux");
            }

            info.FileName = _setsid;
            info.ArgumentList.Add(_setpriv);
            if (spec.RunAsUser is { } user)
            {
                info.ArgumentList.Add($"--reuid={user}");
                info.ArgumentList.Add($"--regid={user}");
                info.ArgumentList.Add("--init-groups");
            }

            info.ArgumentList.Add($"--pdeathsig={(spec.StopSignal == StopSignal.Interrupt ? "INT" : "TERM")}");
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(spec.FileName);
        }
        else
        {
            // Elsewhere there is no parent-death signal: children are stopped on exit, but not if the host is killed.
            info.FileName = spec.FileName;
        }

        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        return info;
    }
}
