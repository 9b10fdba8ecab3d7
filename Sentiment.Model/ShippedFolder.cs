namespace Sentiment.Model;

/// <summary>Finds a folder that the build ships beside the app (models/sentiment, models/topics).</summary>
public static class ShippedFolder
{
    /// <summary>
    /// An absolute path as given; a relative one under the app's base directory (where the build copies it), else
    /// under the current directory. When neither exists, the location beside the app, so errors name where it belongs.
    /// </summary>
    public static string Resolve(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        var besideApp = Path.GetFullPath(path, AppContext.BaseDirectory);
        if (Directory.Exists(besideApp))
        {
            return besideApp;
        }

        var fromCurrent = Path.GetFullPath(path);
        return Directory.Exists(fromCurrent) ? fromCurrent : besideApp;
    }
}
