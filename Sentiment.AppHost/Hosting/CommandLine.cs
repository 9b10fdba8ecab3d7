namespace Sentiment.AppHost.Hosting;

/// <summary>Short command-line switches, mapped onto configuration keys.</summary>
internal static class CommandLine
{
    public static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.OrdinalIgnoreCase)
    {
        // Aspire's own names for writing the deployment manifest.
        ["--publisher"] = "Publishing:Publisher",
        ["--output-path"] = "Publishing:OutputPath",
        ["--data-root"] = "AppHost:DataRoot",
    };

    /// <summary>Turns the bare flag <c>--reset-data</c> into <c>--AppHost:ResetData=true</c>; configuration keys need values.</summary>
    public static string[] Normalize(string[] args)
    {
        var normalized = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            if (string.Equals(args[i], "--reset-data", StringComparison.OrdinalIgnoreCase))
            {
                var hasValue = i + 1 < args.Length && bool.TryParse(args[i + 1], out _);
                normalized.Add($"--AppHost:ResetData={(hasValue ? args[++i] : "true")}");
            }
            else
            {
                normalized.Add(args[i]);
            }
        }

        return [.. normalized];
    }
}
