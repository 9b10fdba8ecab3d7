using Sentiment.AppHost.ApplicationModel;

namespace Sentiment.AppHost.Hosting;

public static class PostgresBuilderExtensions
{
    /// <summary>
    /// A local PostgreSQL cluster (Debian package <c>postgresql</c>) with a generated password, or the server in
    /// <c>ConnectionStrings__{name}</c> when that is set.
    /// </summary>
    /// <param name="port">Port on 127.0.0.1; by default a free one. <c>AppHost:Ports:{name}</c> overrides it.</param>
    public static IResourceBuilder<PostgresServerResource> AddPostgres(
        this DistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddResource(new PostgresServerResource(name) { Port = port ?? 0 });

    /// <summary>A database in the cluster, created when missing, as Aspire's <c>AddDatabase</c> does.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<PostgresServerResource> builder, string name, string? databaseName = null)
    {
        var database = new PostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.Databases.Add(database);
        return builder.ApplicationBuilder.AddResource(database);
    }
}
