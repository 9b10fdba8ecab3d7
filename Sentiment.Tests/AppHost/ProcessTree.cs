using System.Globalization;

namespace Sentiment.Tests.AppHost;

/// <summary>A process seen in /proc: its id and start time identify it even if the id is reused later.</summary>
public sealed record ProcessEntry(int Id, int ParentId, long StartTime, string CommandLine)
{
    /// <summary>Whether this same process still runs (a zombie has exited; it only waits to be reaped).</summary>
    public bool IsRunning => ProcessTree.Read(Id) is { } now && now.StartTime == StartTime && !ProcessTree.IsZombie(Id);

    public override string ToString() => $"{Id} {CommandLine}";
}

/// <summary>Reads the process tree from /proc.</summary>
public static class ProcessTree
{
    public static IReadOnlyList<ProcessEntry> All() => Directory.EnumerateDirectories("/proc")
        .Select(Path.GetFileName)
        .Where(name => name!.All(char.IsAsciiDigit))
        .Select(name => Read(int.Parse(name!, CultureInfo.InvariantCulture)))
        .OfType<ProcessEntry>()
        .ToList();

    /// <summary>Every process below <paramref name="rootId"/>: children, grandchildren, and so on.</summary>
    public static IReadOnlyList<ProcessEntry> Descendants(int rootId)
    {
        var byParent = All().ToLookup(entry => entry.ParentId);
        var found = new List<ProcessEntry>();
        var pending = new Queue<int>([rootId]);
        while (pending.TryDequeue(out var parent))
        {
            foreach (var child in byParent[parent])
            {
                found.Add(child);
                pending.Enqueue(child.Id);
            }
        }

        return found;
    }

    /// <summary>The variables a process started with.</summary>
    public static IReadOnlyDictionary<string, string> Environment(int id) =>
        File.ReadAllText($"/proc/{id}/environ")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(variable => variable.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0], StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Last()[1], StringComparer.Ordinal);

    internal static ProcessEntry? Read(int id)
    {
        try
        {
            // The command name in field 2 may hold spaces and parentheses; the fields after the last ')' do not.
            var stat = File.ReadAllText($"/proc/{id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var commandLine = File.ReadAllText($"/proc/{id}/cmdline").Replace('\0', ' ').Trim();
            return new ProcessEntry(
                id,
                int.Parse(fields[1], CultureInfo.InvariantCulture),
                long.Parse(fields[19], CultureInfo.InvariantCulture),
                commandLine);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null; // It exited while being read.
        }
    }

    internal static bool IsZombie(int id)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{id}/stat");
            return stat[stat.LastIndexOf(')') + 2] is 'Z' or 'X';
        }
        catch (IOException)
        {
            return true;
        }
    }
}
