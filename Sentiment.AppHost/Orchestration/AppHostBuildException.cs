namespace Sentiment.AppHost.Orchestration;

/// <summary>A project's build output is missing: the host runs projects from it and does not build them itself.</summary>
public sealed class AppHostBuildException(string assemblyPath)
    : Exception($"{assemblyPath} is missing: build the solution first (dotnet build Sentiment.AppHost), or start with dotnet run --project Sentiment.AppHost.")
{
    public string AssemblyPath { get; } = assemblyPath;
}
