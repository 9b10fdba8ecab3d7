using Sentiment.AppHost.ApplicationModel;

namespace Sentiment.AppHost.Hosting;

public static class RedisBuilderExtensions
{
    /// <summary>
    /// A local redis-server (Debian package <c>redis-server</c>) with a generated password and AOF persistence, or the
    /// server in <c>ConnectionStrings__{name}</c> when that is set.
    /// </summary>
    /// <param name="port">Port on 127.0.0.1; by default a free one. <c>AppHost:Ports:{name}</c> overrides it.</param>
    public static IResourceBuilder<RedisResource> AddRedis(this DistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddResource(new RedisResource(name) { Port = port ?? 0 });
}
