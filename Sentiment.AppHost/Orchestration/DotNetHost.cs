using Sentiment.AppHost.Processes;

namespace Sentiment.AppHost.Orchestration;

/// <summary>The <c>dotnet</c> executable that runs the projects' build output.</summary>
internal static class DotNetHost
{
    public static string Find()
    {
        // Set by dotnet run and dotnet test; otherwise this host itself may be running under dotnet.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        if (Environment.ProcessPath is { } processPath && Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            return processPath;
        }

        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        return ExecutableFinder.Find("dotnet", root is null ? [] : [root])
            ?? throw new MissingDependencyException("dotnet", "dotnet-sdk-10.0");
    }
}
