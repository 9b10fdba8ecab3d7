namespace Sentiment.AppHost.LocalResources;

/// <summary>
/// Debian's <c>redis-server</c> run by Aspire as an executable, for machines without a container runtime. Its
/// connection string is the one Aspire's own <c>RedisResource</c> gives: <c>{host}:{port},password={password}</c>.
/// </summary>
/// <remarks>
/// Started through <c>/bin/sh</c>, which sets umask 077 and then becomes <c>redis-server</c> (exec, same process):
/// Redis has no setting for the mode of its files, and they hold every message's text.
/// </remarks>
public sealed class LocalRedisResource(string name, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, "/bin/sh", dataDirectory), IResourceWithConnectionString
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
