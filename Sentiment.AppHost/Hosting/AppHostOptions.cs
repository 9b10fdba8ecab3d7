using Microsoft.Extensions.Configuration;

namespace Sentiment.AppHost.Hosting;

/// <summary>The host's own settings, from the <c>AppHost</c> section (see docs/apphost.md).</summary>
public sealed class AppHostOptions
{
    public const string SectionName = "AppHost";

    /// <summary>Where Redis and PostgreSQL keep their data and secrets.json; by default <c>.data</c> in the repository.</summary>
    public string? DataRoot { get; set; }

    /// <summary>Deletes the servers' data and the generated passwords before starting.</summary>
    public bool ResetData { get; set; }

    /// <summary>How long a child gets to stop after its stop signal before it is killed.</summary>
    public int StopTimeoutSeconds { get; set; } = 10;

    /// <summary>Port overrides by resource name: <c>AppHost:Ports:ingest=5090</c>.</summary>
    public Dictionary<string, int> Ports { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Replica count overrides by resource name: <c>AppHost:Replicas:worker=3</c>.</summary>
    public Dictionary<string, int> Replicas { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string DataRootPath => Path.GetFullPath(DataRoot ?? Path.Combine(AppHostBuildInfo.RepositoryRoot, ".data"));

    public TimeSpan StopTimeout => TimeSpan.FromSeconds(StopTimeoutSeconds);

    public static string PortSetting(string resourceName) => $"{SectionName}:Ports:{resourceName}";

    public static string ReplicasSetting(string resourceName) => $"{SectionName}:Replicas:{resourceName}";

    /// <summary>Binds and checks the section; a bad value fails with one line naming its key.</summary>
    public static AppHostOptions Bind(IConfiguration configuration)
    {
        var options = new AppHostOptions();
        try
        {
            configuration.GetSection(SectionName).Bind(options);
        }
        catch (InvalidOperationException exception)
        {
            throw new AppHostConfigurationException(exception.Message);
        }

        if (options.StopTimeoutSeconds is < 1 or > 300)
        {
            throw new AppHostConfigurationException($"{SectionName}:StopTimeoutSeconds must be 1 to 300, not {options.StopTimeoutSeconds}.");
        }

        foreach (var (name, port) in options.Ports)
        {
            if (port is < 0 or > 65535)
            {
                throw new AppHostConfigurationException($"{PortSetting(name)} must be 0 (any free port) to 65535, not {port}.");
            }
        }

        foreach (var (name, replicas) in options.Replicas)
        {
            if (replicas is < 1 or > 64)
            {
                throw new AppHostConfigurationException($"{ReplicasSetting(name)} must be 1 to 64, not {replicas}.");
            }
        }

        return options;
    }
}
