namespace Sentiment.AppHost.Hosting;

/// <summary>The AppHost's own settings (docs/apphost.md), read from configuration with their defaults.</summary>
public static class AppHostSettings
{
    public const string IngestPortSetting = "AppHost:Ports:ingest";
    public const string DashboardPortSetting = "AppHost:Ports:dashboard";
    public const string WorkerReplicasSetting = "AppHost:Replicas:worker";
    public const string NotifierReplicasSetting = "AppHost:Replicas:notifier";

    public static int IngestPort(this IDistributedApplicationBuilder builder) => builder.Read(IngestPortSetting, 5080, 1, 65535);

    public static int DashboardPort(this IDistributedApplicationBuilder builder) => builder.Read(DashboardPortSetting, 5081, 1, 65535);

    public static int WorkerReplicas(this IDistributedApplicationBuilder builder) => builder.Read(WorkerReplicasSetting, 2, 1, 64);

    public static int NotifierReplicas(this IDistributedApplicationBuilder builder) => builder.Read(NotifierReplicasSetting, 1, 1, 64);

    /// <summary>
    /// Short switches for the usual settings: <c>--reset-data</c> (a flag, where configuration keys need a value),
    /// <c>--data-root DIR</c>, <c>--workers N</c> and <c>--notifiers N</c>.
    /// </summary>
    public static string[] NormalizeArguments(string[] args)
    {
        var normalized = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            var argument = args[i];
            if (string.Equals(argument, "--reset-data", StringComparison.OrdinalIgnoreCase))
            {
                var hasValue = i + 1 < args.Length && bool.TryParse(args[i + 1], out _);
                normalized.Add($"--AppHost:ResetData={(hasValue ? args[++i] : "true")}");
            }
            else if (string.Equals(argument, "--data-root", StringComparison.OrdinalIgnoreCase) && i + 1 < args.Length)
            {
                normalized.Add($"--AppHost:DataRoot={args[++i]}");
            }
            else if (string.Equals(argument, "--workers", StringComparison.OrdinalIgnoreCase) && i + 1 < args.Length)
            {
                normalized.Add($"--{WorkerReplicasSetting}={args[++i]}");
            }
            else if (string.Equals(argument, "--notifiers", StringComparison.OrdinalIgnoreCase) && i + 1 < args.Length)
            {
                normalized.Add($"--{NotifierReplicasSetting}={args[++i]}");
            }
            else
            {
                normalized.Add(argument);
            }
        }

        return [.. normalized];
    }

    private static int Read(this IDistributedApplicationBuilder builder, string key, int defaultValue, int min, int max)
    {
        var text = builder.Configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new DistributedApplicationException($"{key} must be a whole number from {min} to {max}, not '{text}'.");
    }
}
