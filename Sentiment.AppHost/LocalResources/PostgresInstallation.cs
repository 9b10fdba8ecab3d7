using System.Globalization;

namespace Sentiment.AppHost.LocalResources;

/// <summary>
/// Where <c>postgres</c> and <c>initdb</c> are: <c>AppHost:PostgresBinDirectory</c> when set, else the newest of Debian's
/// /usr/lib/postgresql/*/bin, else a PATH folder.
/// </summary>
internal static class PostgresInstallation
{
    public const string BinDirectorySetting = "AppHost:PostgresBinDirectory";
    private const string DebianRoot = "/usr/lib/postgresql";

    public static string? FindBinDirectory(string? configured, string? path)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return HasServer(configured) ? configured : null;
        }

        var debian = Directory.Exists(DebianRoot)
            ? Directory.EnumerateDirectories(DebianRoot)
                .Select(version => (Version: decimal.TryParse(Path.GetFileName(version), CultureInfo.InvariantCulture, out var v) ? v : 0m, Bin: Path.Combine(version, "bin")))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Bin)
                .FirstOrDefault(HasServer)
            : null;
        if (debian is not null)
        {
            return debian;
        }

        var onPath = ExecutableFinder.Find("postgres", path) is { } postgres ? Path.GetDirectoryName(postgres) : null;
        return onPath is not null && HasServer(onPath) ? onPath : null;
    }

    private static bool HasServer(string directory) =>
        File.Exists(Path.Combine(directory, "postgres")) && File.Exists(Path.Combine(directory, "initdb"));
}
