namespace Sentiment.AppHost.LocalResources;

/// <summary>File modes for the data root, which holds every message's text and the generated passwords.</summary>
internal static class OwnerOnly
{
    public const UnixFileMode Directory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Restrict(string directory)
    {
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(directory, Directory);
        }
    }

    /// <summary>Makes <paramref name="directory"/>, and every folder and file below it, owner-only.</summary>
    public static void RestrictTree(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        System.IO.File.SetUnixFileMode(directory, Directory);
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (entry.LinkTarget is null)
            {
                entry.UnixFileMode = entry is DirectoryInfo ? Directory : File;
            }
        }
    }

    /// <summary>Writes <paramref name="contents"/> to a file only its owner can read, replacing it whole.</summary>
    public static void WriteFile(string path, string contents)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = File;
        }

        using (var writer = new StreamWriter(temporary, options))
        {
            writer.Write(contents);
        }

        System.IO.File.Move(temporary, path, overwrite: true);
    }
}
