using System.Reflection;

namespace Sentiment.AppHost.Hosting;

/// <summary>
/// Where and how this host was built (written into the assembly by Sentiment.AppHost.csproj), so that it finds the
/// projects and their build output wherever it is started from, as Aspire's AppHost does.
/// </summary>
public static class AppHostBuildInfo
{
    private static readonly Assembly Assembly = typeof(AppHostBuildInfo).Assembly;

    /// <summary>The folder of Sentiment.AppHost.csproj.</summary>
    public static string ProjectDirectory { get; } = Metadata("AppHostProjectDirectory");

    /// <summary>The repository root; the default data root is <c>.data</c> there.</summary>
    public static string RepositoryRoot { get; } = Path.GetFullPath(Metadata("RepositoryRoot"));

    /// <summary>Debug or Release: the projects are run from the same configuration's build output.</summary>
    public static string Configuration { get; } =
        Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string TargetFramework { get; } = Metadata("TargetFramework");

    /// <summary>The build output of the project at <paramref name="projectPath"/>: bin/{Configuration}/{TargetFramework}/{name}.dll.</summary>
    public static string OutputAssembly(string projectPath) => Path.Combine(
        Path.GetDirectoryName(projectPath)!, "bin", Configuration, TargetFramework, Path.GetFileNameWithoutExtension(projectPath) + ".dll");

    private static string Metadata(string key) =>
        Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Sentiment.AppHost was built without the '{key}' metadata.");
}
