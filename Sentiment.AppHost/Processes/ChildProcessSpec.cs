namespace Sentiment.AppHost.Processes;

/// <summary>What to run as a child process of the host, and how to stop it.</summary>
public sealed record ChildProcessSpec
{
    /// <summary>Resource or replica name; prefixes every output line (<c>redis</c>, <c>worker-1</c>).</summary>
    public required string Name { get; init; }

    public required string FileName { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    public string? WorkingDirectory { get; init; }

    /// <summary>Variables set on top of the host's environment; a <see langword="null"/> value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Written to the child's standard input, which is then closed. Keeps secrets out of the command line.</summary>
    public string? StandardInput { get; init; }

    /// <summary>System user to run as (through <c>setpriv</c>); <see langword="null"/> runs as the host's user.</summary>
    public string? RunAsUser { get; init; }

    /// <summary>
    /// Sent to ask the child to stop, and also its parent-death signal, so a host that dies stops the child the same
    /// graceful way a host that exits does.
    /// </summary>
    public StopSignal StopSignal { get; init; } = StopSignal.Terminate;
}
