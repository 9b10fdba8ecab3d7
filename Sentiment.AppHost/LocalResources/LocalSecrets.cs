using System.Security.Cryptography;
using System.Text.Json;

namespace Sentiment.AppHost.LocalResources;

/// <summary>
/// Generated passwords, logins and API keys, kept in <c>secrets.json</c> (mode 600) in the git-ignored data folder so
/// that restarts reuse them (PostgreSQL's password is fixed when the cluster is created) and scripts can read them.
/// </summary>
public sealed class LocalSecrets
{
    public const string RedisPassword = "redis-password";
    public const string PostgresPassword = "postgres-password";

    /// <summary>An ingest key that may post to every source.</summary>
    public const string IngestApiKey = "ingest-api-key";

    /// <summary>A dashboard API key with the viewer role, for scripts that read the API.</summary>
    public const string ReadApiKey = "read-api-key";

    /// <summary>The first dashboard login, with the operator role.</summary>
    public const string DashboardUser = "dashboard-user";

    public const string DashboardPassword = "dashboard-password";

    public const string FileName = "secrets.json";
    private static readonly JsonSerializerOptions SerializerOptions = new() { WriteIndented = true };
    private readonly string _path;
    private readonly Dictionary<string, string> _values;

    private LocalSecrets(string path, Dictionary<string, string> values)
    {
        _path = path;
        _values = values;
    }

    /// <summary>Reads the secrets in <paramref name="dataRoot"/>, or starts an empty set.</summary>
    public static LocalSecrets Load(string dataRoot)
    {
        var path = Path.Combine(dataRoot, FileName);
        var values = File.Exists(path)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? []
            : [];
        return new LocalSecrets(path, values);
    }

    /// <summary>The file's full path, to tell a user where to look.</summary>
    public string FilePath => _path;

    /// <summary>Returns the stored value, or generates, stores and returns a new password.</summary>
    public string GetOrCreate(string name) =>
        // Letters and digits only: safe inside redis.conf, connection strings and URLs without escaping.
        GetOrCreate(name, () => RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 32));

    /// <summary>Returns the stored value, or stores and returns what <paramref name="create"/> makes.</summary>
    public string GetOrCreate(string name, Func<string> create)
    {
        lock (_values)
        {
            if (_values.TryGetValue(name, out var value))
            {
                return value;
            }

            value = create();
            _values[name] = value;
            Save();
            return value;
        }
    }

    private void Save()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        OwnerOnly.WriteFile(_path, JsonSerializer.Serialize(_values, SerializerOptions));
    }
}
