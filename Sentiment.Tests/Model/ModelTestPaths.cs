namespace Sentiment.Tests.Model;

/// <summary>Where the model tests find the repository, the shipped model and the shared data.</summary>
public static class ModelTestPaths
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    /// <summary>The folder holding Sentiment.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot => Root.Value;

    public static string ShippedModel => Path.Combine(RepositoryRoot, "models", "sentiment");

    /// <summary>
    /// A project's own build output (<c>&lt;project&gt;/bin/&lt;configuration&gt;/net10.0</c>), in the configuration the tests
    /// were built in: the project references build it with them.
    /// </summary>
    public static string BuildOutput(string project) => Path.Combine(
        RepositoryRoot, project, "bin", new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name, "net10.0");

    /// <summary>The validation files beside the repository (../shared/datasets/sentiment/validation).</summary>
    public static string ValidationData(string fileName) =>
        Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "datasets", "sentiment", "validation", fileName));

    /// <summary>The shipped model folder, or a failure that says what is missing (never a silent skip).</summary>
    public static string RequireShippedModel()
    {
        var modelFile = Path.Combine(ShippedModel, "model.onnx");
        Assert.True(File.Exists(modelFile), $"The shipped model is missing: expected {modelFile} (see training/ to rebuild it).");
        return ShippedModel;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Sentiment.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Sentiment.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A temporary folder for one test, removed afterwards.</summary>
public sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder()
    {
        Path = Directory.CreateTempSubdirectory("sentiment-model-test-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string content)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
