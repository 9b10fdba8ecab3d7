namespace Sentiment.AppHost.LocalResources;

internal static class ExecutableFinder
{
    /// <summary>The full path of <paramref name="name"/> in a folder of <paramref name="path"/> (a PATH value), or null.</summary>
    public static string? Find(string name, string? path) =>
        (path ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
}
