namespace Sentiment.AppHost.Processes;

/// <summary>A program the host needs is not installed. The message is one line naming the Debian package.</summary>
public sealed class MissingDependencyException(string program, string debianPackage)
    : Exception($"{program} was not found: install the Debian package '{debianPackage}' (./run.sh installs it).")
{
    public string Program { get; } = program;

    public string DebianPackage { get; } = debianPackage;
}
