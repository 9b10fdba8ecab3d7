using System.Text.Json;
using Sentiment.Tests.Model;

namespace Sentiment.Tests.Architecture;

/// <summary>
/// Each service ships only what it uses: read from its real build output (built with the tests through the project
/// references), both the files in its folder and the packages its deps.json says it loads.
/// </summary>
public sealed class BuildOutputTests
{
    private static readonly string[] ModelRuntime = ["Microsoft.ML.OnnxRuntime", "Microsoft.ML.Tokenizers", "onnxruntime"];
    private static readonly string[] EntityFramework = ["Microsoft.EntityFrameworkCore", "Npgsql.EntityFrameworkCore"];
    private static readonly string[] Email = ["MailKit", "MimeKit"];

    public static TheoryData<string, string[]> Forbidden => new()
    {
        { "Sentiment.Ingest", [.. ModelRuntime, .. EntityFramework, .. Email] },
        { "Sentiment.AppHost", [.. ModelRuntime, .. EntityFramework, .. Email] },
        { "Sentiment.Dashboard", [.. ModelRuntime, .. Email] },
        { "Sentiment.MigrationService", [.. ModelRuntime, .. Email] },
        { "Sentiment.Worker", [.. Email] },
        { "Sentiment.Notifier", [.. ModelRuntime] },
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void Service_ships_none_of_what_it_does_not_use(string project, string[] forbidden)
    {
        var output = BuildOutput(project);
        var shipped = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(output, path))
            .Concat(LoadedPackages(Path.Combine(output, $"{project}.deps.json")))
            .ToList();

        var found = shipped
            .Where(item => forbidden.Any(prefix =>
                Path.GetFileName(item).StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                || Path.GetFileName(item).StartsWith("lib" + prefix, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        Assert.True(found.Count == 0, $"{project} ships {string.Join(", ", found)}");
        // Guards against a check that passes because it read nothing.
        Assert.Contains(shipped, item => item == $"{project}.dll");
    }

    [Fact]
    public void The_worker_ships_the_model_runtime_it_classifies_with()
    {
        var output = BuildOutput("Sentiment.Worker");
        Assert.Contains(Directory.EnumerateFiles(output, "*onnxruntime*", SearchOption.AllDirectories), path => path.EndsWith(".so", StringComparison.Ordinal));
        Assert.Contains(LoadedPackages(Path.Combine(output, "Sentiment.Worker.deps.json")), package => package.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
    }

    private static string BuildOutput(string project)
    {
        var output = ModelTestPaths.BuildOutput(project);
        Assert.True(Directory.Exists(output), $"{output} does not exist: build the solution first.");
        return output;
    }

    /// <summary>The package (and project) names in a deps.json's libraries, e.g. <c>MailKit</c>.</summary>
    private static IEnumerable<string> LoadedPackages(string depsFile)
    {
        using var deps = JsonDocument.Parse(File.ReadAllText(depsFile));
        return [.. deps.RootElement.GetProperty("libraries").EnumerateObject().Select(library => library.Name.Split('/')[0])];
    }
}
