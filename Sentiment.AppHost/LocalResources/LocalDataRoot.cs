using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;

namespace Sentiment.AppHost.LocalResources;

/// <summary>
/// The git-ignored folder where the local Redis and PostgreSQL keep their data, and <c>secrets.json</c> the passwords
/// generated for them. <c>AppHost:DataRoot</c> moves it; <c>AppHost:ResetData</c> empties it before the start.
/// </summary>
public sealed class LocalDataRoot
{
    public const string DataRootSetting = "AppHost:DataRoot";
    public const string ResetDataSetting = "AppHost:ResetData";

    private static readonly ConditionalWeakTable<IDistributedApplicationBuilder, LocalDataRoot> ByBuilder = [];

    private LocalDataRoot(string path)
    {
        Path = path;
        Directory.CreateDirectory(path);
        OwnerOnly.Restrict(path);
        Secrets = LocalSecrets.Load(path);
    }

    public string Path { get; }

    public LocalSecrets Secrets { get; }

    public string RedisDirectory => System.IO.Path.Combine(Path, "redis");

    public string PostgresDirectory => System.IO.Path.Combine(Path, "postgres");

    /// <summary>The builder's data root: <c>.data</c> beside the AppHost's folder unless configured. Reset once if asked.</summary>
    public static LocalDataRoot For(IDistributedApplicationBuilder builder) => ByBuilder.GetValue(builder, static builder =>
    {
        var configured = builder.Configuration[DataRootSetting];
        var path = System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(configured)
            ? System.IO.Path.Combine(builder.AppHostDirectory, "..", ".data")
            : configured);
        if (builder.Configuration.GetValue<bool>(ResetDataSetting))
        {
            Reset(path);
        }

        return new LocalDataRoot(path);
    });

    /// <summary>Deletes the servers' data and the generated passwords, and nothing else the folder holds.</summary>
    private static void Reset(string path)
    {
        foreach (var folder in new[] { "redis", "postgres" })
        {
            var full = System.IO.Path.Combine(path, folder);
            if (Directory.Exists(full))
            {
                Directory.Delete(full, recursive: true);
            }
        }

        File.Delete(System.IO.Path.Combine(path, LocalSecrets.FileName));
    }
}
