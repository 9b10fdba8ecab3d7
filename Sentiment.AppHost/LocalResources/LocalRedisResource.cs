namespace Sentiment.AppHost.LocalResources;

/// <summary>
/// Debian's <c>redis-server</c> run by Aspire as an executable, for machines without a container runtime. Its
/// connection string is the one Aspire's own <c>RedisResource</c> gives: <c>{host}:{port},password={password}</c>.
/// </summary>
public sealed class LocalRedisResource(string name, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, "redis-server", dataDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    private EndpointReference? _primaryEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    public ParameterResource PasswordParameter { get; } = password;

    /// <summary>Where the append-only files and <c>redis.conf</c> are.</summary>
    public string DataDirectory { get; } = dataDirectory;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)},password={PasswordParameter}");
}
