using Sentiment.AppHost.Infrastructure;

namespace Sentiment.Tests.Infrastructure;

/// <summary>
/// The AppHost's Redis and PostgreSQL resources as tests start them: free loopback ports, and data and passwords under
/// <c>dataRoot</c>. Passwords come from its secrets.json, so a server made again for the same folder finds its data.
/// </summary>
internal static class TestServers
{
    public static RedisServer NewRedis(string dataRoot, string name = "redis") => new(name, new RedisServerOptions
    {
        DataDirectory = Path.Combine(dataRoot, "redis"),
        Port = LoopbackPorts.GetFree(),
        Password = LocalSecrets.Load(dataRoot).GetOrCreate(LocalSecrets.RedisPassword),
    });

    public static PostgresServer NewPostgres(string dataRoot, string name = "postgres") => new(name, new PostgresServerOptions
    {
        DataDirectory = Path.Combine(dataRoot, "postgres"),
        Port = LoopbackPorts.GetFree(),
        Password = LocalSecrets.Load(dataRoot).GetOrCreate(LocalSecrets.PostgresPassword),
        // Every test database has its own connection pool, and the pools of a test's plain NpgsqlConnections are never
        // disposed: their idle connections stay open for Npgsql's 300 s. Across a whole run that passes the default 100.
        MaxConnections = 400,
    });
}
