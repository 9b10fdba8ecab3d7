using Aspire.Hosting.ApplicationModel;
using Sentiment.AppHost.LocalResources;
using Sentiment.Contracts;

namespace Sentiment.Tests.AppHost;

/// <summary>
/// Given <c>ConnectionStrings:redis</c> and <c>ConnectionStrings:sentimentdb</c>, the host declares those servers as
/// Aspire connection strings, passes them on unchanged, and starts no Redis or PostgreSQL of its own.
/// </summary>
[Collection(AppHostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AppHostExternalServerTests : IDisposable
{
    private const string Redis = "redis.example.internal:6380,password=given";
    private const string Database = "Host=pg.example.internal;Port=5433;Username=app;Password=given;Database=results";
    private readonly DirectoryInfo _dataRoot = Directory.CreateTempSubdirectory("sentiment-external-tests-");

    public void Dispose() => _dataRoot.Delete(recursive: true);

    [Fact]
    public async Task Given_servers_are_used_as_they_are_and_none_is_started()
    {
        var builder = await AppHostTesting.CreateBuilderAsync(
            _dataRoot.FullName, [$"--ConnectionStrings:redis={Redis}", $"--ConnectionStrings:sentimentdb={Database}"]);

        Assert.Empty(builder.Resources.OfType<LocalRedisResource>());
        Assert.Empty(builder.Resources.OfType<LocalPostgresServerResource>());
        Assert.Equal(Redis, await ConnectionStringOf(builder.Resources, ResourceNames.Redis));
        Assert.Equal(Database, await ConnectionStringOf(builder.Resources, ResourceNames.Database));
    }

    private static async Task<string?> ConnectionStringOf(IEnumerable<IResource> resources, string name) =>
        await resources.OfType<IResourceWithConnectionString>().Single(resource => resource.Name == name).GetConnectionStringAsync();
}
