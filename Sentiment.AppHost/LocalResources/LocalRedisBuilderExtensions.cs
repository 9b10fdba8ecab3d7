using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Sentiment.AppHost.Hosting;

namespace Sentiment.AppHost.LocalResources;

public static class LocalRedisBuilderExtensions
{
    /// <summary>
    /// Adds a <c>redis-server</c> on a port Aspire allocates, on loopback, with a generated password and append-only
    /// persistence in the data root. Ready (for <c>WaitFor</c>) once it answers PING.
    /// </summary>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        var dataRoot = LocalDataRoot.For(builder);

        // PATH as the host's configuration has it (the environment, unless given otherwise): what DCP runs it from.
        if (ExecutableFinder.Find("redis-server", builder.Configuration["PATH"]) is null)
        {
            throw new DistributedApplicationException(
                "redis-server was not found on PATH. Install Debian's redis-server package, or start with ./run.sh, which installs it.");
        }

        var durability = RedisDurability.Read(builder.Configuration);

        var password = builder.AddParameter($"{name}-password", () => dataRoot.Secrets.GetOrCreate(LocalSecrets.RedisPassword), secret: true);
        var redis = new LocalRedisResource(name, dataRoot.RedisDirectory, password.Resource);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(redis, async (_, cancellationToken) =>
            connectionString = await redis.ConnectionStringExpression.GetValueAsync(cancellationToken));

        // The configuration is a file only the owner can read, so the password appears neither in ps nor in
        // /proc/*/cmdline; the port Aspire allocated follows it on the command line.
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(redis, async (_, cancellationToken) =>
        {
            Directory.CreateDirectory(redis.DataDirectory);
            // Files an earlier run wrote with the default umask become owner-only too.
            OwnerOnly.RestrictTree(redis.DataDirectory);
            var secret = await redis.PasswordParameter.GetValueAsync(cancellationToken);
            OwnerOnly.WriteFile(ConfigurationPath(redis), CreateConfiguration(redis.DataDirectory, secret!, durability));
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis(
            _ => connectionString ?? throw new InvalidOperationException("The Redis connection string is not available yet."),
            healthCheckKey);

        return builder.AddResource(redis)
            .WithEndpoint(name: LocalRedisResource.PrimaryEndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                context.Args.Add("-c");
                context.Args.Add("umask 077 && exec redis-server \"$@\"");
                context.Args.Add("redis-server"); // $0
                context.Args.Add(ConfigurationPath(redis));
                context.Args.Add("--port");
                context.Args.Add(redis.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
            })
            .WithHealthCheck(healthCheckKey)
            .WithIconName("Database")
            .ExcludeFromManifest();
    }

    private static string ConfigurationPath(LocalRedisResource redis) => Path.Combine(redis.DataDirectory, "redis.conf");

    private static string CreateConfiguration(string dataDirectory, string password, RedisDurability durability)
    {
        var configuration = new StringBuilder();

        // Loopback only: IPv4, and IPv6 where the machine has it (the leading "-" makes that address optional).
        configuration.AppendLine("bind 127.0.0.1 -::1");
        configuration.AppendLine(CultureInfo.InvariantCulture, $"requirepass {password}");
        foreach (var directive in durability.Directives)
        {
            configuration.AppendLine(directive);
        }

        configuration.AppendLine(CultureInfo.InvariantCulture, $"dir {Quote(dataDirectory)}");
        configuration.AppendLine("daemonize no");
        configuration.AppendLine("logfile \"\"");
        return configuration.ToString();
    }

    // redis.conf strings are double-quoted with backslash escapes.
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
