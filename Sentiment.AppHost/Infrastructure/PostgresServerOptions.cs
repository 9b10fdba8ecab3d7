namespace Sentiment.AppHost.Infrastructure;

public sealed record PostgresServerOptions
{
    /// <summary>The cluster's data directory; <c>initdb</c> creates the cluster there when it holds none.</summary>
    public required string DataDirectory { get; init; }

    public required int Port { get; init; }

    /// <summary>Password of the <c>postgres</c> superuser, set when the cluster is created.</summary>
    public required string Password { get; init; }

    /// <summary>Folder with <c>initdb</c> and <c>postgres</c>; by default the newest /usr/lib/postgresql/*/bin, then PATH.</summary>
    public string? BinDirectory { get; init; }

    /// <summary>The server's <c>max_connections</c>; null keeps PostgreSQL's default (100).</summary>
    public int? MaxConnections { get; init; }
}
