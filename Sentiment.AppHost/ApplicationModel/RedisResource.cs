namespace Sentiment.AppHost.ApplicationModel;

/// <summary>A Redis server with a generated password and append-only persistence.</summary>
public sealed class RedisResource(string name) : IResourceWithConnectionString
{
    public string Name { get; } = name;

    /// <summary>Port on 127.0.0.1; 0 picks a free one at each start of the host.</summary>
    public int Port { get; set; }

    public string PasswordParameter => $"{Name}-password";

    public string ConnectionStringExpression =>
        $"{{{Name}.bindings.tcp.host}}:{{{Name}.bindings.tcp.port}},password={{{PasswordParameter}.value}}";
}
