using Microsoft.Extensions.Configuration;
using Sentiment.AppHost.LocalResources;

namespace Sentiment.AppHost.Hosting;

/// <summary>
/// Redis and PostgreSQL as each mode needs them. Publish: Aspire's own container resources, which the deployment
/// manifest describes. Run: the local executables (no container runtime is needed), or, when the AppHost is given
/// <c>ConnectionStrings:{name}</c>, that server as it is.
/// </summary>
public static class InfrastructureBuilderExtensions
{
    public static IResourceBuilder<IResourceWithConnectionString> AddRedisServer(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            // Aspire's container only snapshots every 60 s (--save 60 1): a crash would lose up to a minute of
            // accepted messages. It runs with the local server's durability instead: AOF and maxmemory noeviction.
            var durability = RedisDurability.Read(builder.Configuration);
            return builder.AddRedis(name).WithDataVolume().WithArgs(context =>
            {
                context.Args.Clear();
                context.Args.Add("-c");
                context.Args.Add("redis-server --requirepass $REDIS_PASSWORD " + string.Join(' ', durability.Directives.Select(directive => "--" + directive)));
            });
        }

        return HasConnectionString(builder, name) ? builder.AddConnectionString(name) : builder.AddLocalRedis(name);
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddPostgresDatabase(
        this IDistributedApplicationBuilder builder, [ResourceName] string serverName, [ResourceName] string databaseName)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return builder.AddPostgres(serverName).WithDataVolume().AddDatabase(databaseName);
        }

        if (HasConnectionString(builder, databaseName))
        {
            return builder.AddConnectionString(databaseName);
        }

        return OperatingSystem.IsWindows()
            ? throw new PlatformNotSupportedException("The local PostgreSQL resource runs on Linux and macOS.")
            : builder.AddLocalPostgres(serverName).AddDatabase(databaseName);
    }

    private static bool HasConnectionString(IDistributedApplicationBuilder builder, string name) =>
        !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name));
}
