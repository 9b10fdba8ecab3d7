namespace Sentiment.AppHost.ApplicationModel;

/// <summary>A PostgreSQL cluster; its databases are <see cref="PostgresDatabaseResource"/>s.</summary>
public sealed class PostgresServerResource(string name) : IResourceWithConnectionString
{
    public string Name { get; } = name;

    /// <summary>Port on 127.0.0.1; 0 picks a free one at each start of the host.</summary>
    public int Port { get; set; }

    public IList<PostgresDatabaseResource> Databases { get; } = [];

    public string PasswordParameter => $"{Name}-password";

    public string ConnectionStringExpression =>
        $"Host={{{Name}.bindings.tcp.host}};Port={{{Name}.bindings.tcp.port}};Username=postgres;Password={{{PasswordParameter}.value}}";
}
