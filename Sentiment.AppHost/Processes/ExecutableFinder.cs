namespace Sentiment.AppHost.Processes;

/// <summary>Finds a program on PATH, or in extra folders where Debian puts programs that are not on PATH.</summary>
public static class ExecutableFinder
{
    public static string? Find(string name, params IEnumerable<string> extraDirectories)
    {
        var path = System.Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(extraDirectories)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }
}
