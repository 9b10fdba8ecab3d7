using System.Text.Json.Nodes;
using Sentiment.Tests.Model;

namespace Sentiment.Tests.AppHost;

/// <summary>
/// <c>--publisher manifest</c> writes Aspire's own manifest for deployment tools (azd): Redis and PostgreSQL as Aspire's
/// container resources, the services as projects, and nothing of the local executables.
/// </summary>
[Collection(AppHostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ManifestTests : IAsyncLifetime
{
    private static readonly string SchemaPath = Path.GetFullPath(
        Path.Combine(ModelTestPaths.RepositoryRoot, "..", "shared", "schemas", "aspire-manifest-8.0.json"));

    private JsonObject _manifest = [];
    private string _manifestDirectory = "";
    private string _output = "";

    public async Task InitializeAsync()
    {
        var directory = Directory.CreateTempSubdirectory("sentiment-manifest-tests-");
        try
        {
            _manifestDirectory = directory.FullName;
            var path = Path.Combine(directory.FullName, "aspire-manifest.json");
            await using var host = AppHostProcess.Start(["--publisher", "manifest", "--output-path", path]);
            Assert.Equal(0, await host.Exited.WaitAsync(TimeSpan.FromSeconds(60)));
            _output = host.Output;
            _manifest = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void Manifest_is_valid_against_the_aspire_8_schema()
    {
        Assert.True(File.Exists(SchemaPath), $"the schema should be at {SchemaPath} (../shared beside the repository)");
        var validator = new JsonSchemaValidator(JsonNode.Parse(File.ReadAllText(SchemaPath))!);

        Assert.Empty(validator.Validate(_manifest));
    }

    [Fact]
    public void Manifest_declares_every_resource_with_its_aspire_type()
    {
        var types = Resources().ToDictionary(r => r.Key, r => r.Value!["type"]!.GetValue<string>());

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["redis"] = "container.v0",
                ["redis-password"] = "parameter.v0",
                ["postgres"] = "container.v0",
                ["postgres-password"] = "parameter.v0",
                ["sentimentdb"] = "value.v0",
                ["migrations"] = "project.v0",
                ["ingest"] = "project.v0",
                ["worker"] = "project.v0",
                ["dashboard"] = "project.v0",
                ["notifier"] = "project.v0",
                ["ingest-api-key-sha256"] = "parameter.v0",
                ["dashboard-admin-password-hash"] = "parameter.v0",
                ["read-api-key-sha256"] = "parameter.v0",
            },
            types.Where(type => !type.Key.Contains("-uri-encoded", StringComparison.Ordinal) && !type.Key.StartsWith("cond-", StringComparison.Ordinal))
                .ToDictionary());
        Assert.DoesNotContain(types.Values, type => type.StartsWith("executable", StringComparison.Ordinal));
        Assert.StartsWith("docker.io/library/redis:", Resources()["redis"]!["image"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("docker.io/library/postgres:", Resources()["postgres"]!["image"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("notifier")]
    public void Consumers_reference_redis_and_the_database_by_expression(string resource)
    {
        var environment = Resources()[resource]!["env"]!.AsObject();

        Assert.Equal("{redis.connectionString}", environment["ConnectionStrings__redis"]!.GetValue<string>());
        Assert.Equal("{sentimentdb.connectionString}", environment["ConnectionStrings__sentimentdb"]!.GetValue<string>());
    }

    [Fact]
    public void Project_paths_are_relative_to_the_manifest()
    {
        var path = Resources()["worker"]!["path"]!.GetValue<string>();

        Assert.False(Path.IsPathRooted(path), path);
        Assert.Equal(
            Path.Combine(ModelTestPaths.RepositoryRoot, "Sentiment.Worker", "Sentiment.Worker.csproj"),
            Path.GetFullPath(Path.Combine(_manifestDirectory, path)));
    }

    [Fact]
    public void Dashboard_references_the_ingest_endpoint_and_is_external()
    {
        var dashboard = Resources()["dashboard"]!;

        Assert.Equal("{ingest.bindings.http.url}", dashboard["env"]!["services__ingest__http__0"]!.GetValue<string>());
        Assert.True(dashboard["bindings"]!["http"]!["external"]!.GetValue<bool>());
    }

    [Fact]
    public void A_deployment_brings_its_own_credentials_as_secret_parameters_holding_hashes_only()
    {
        var ingest = Resources()["ingest"]!["env"]!.AsObject();
        var dashboard = Resources()["dashboard"]!["env"]!.AsObject();

        Assert.Equal("{ingest-api-key-sha256.value}", ingest["Ingest__Authentication__Keys__0__Sha256"]!.GetValue<string>());
        Assert.Equal("*", ingest["Ingest__Authentication__Keys__0__Sources__0"]!.GetValue<string>());
        Assert.Equal("{dashboard-admin-password-hash.value}", dashboard["Dashboard__Authentication__Users__0__PasswordHash"]!.GetValue<string>());
        Assert.Equal("operator", dashboard["Dashboard__Authentication__Users__0__Role"]!.GetValue<string>());
        Assert.Equal("{read-api-key-sha256.value}", dashboard["Dashboard__Authentication__ApiKeys__0__Sha256"]!.GetValue<string>());
        foreach (var parameter in (string[])["ingest-api-key-sha256", "dashboard-admin-password-hash", "read-api-key-sha256"])
        {
            Assert.True(Resources()[parameter]!["inputs"]!["value"]!["secret"]!.GetValue<bool>(), parameter);
        }
    }

    [Fact]
    public void Deployed_redis_logs_every_write_and_refuses_writes_rather_than_evicting_when_full()
    {
        // Aspire's default (--save 60 1) would lose up to a minute of accepted messages in a crash.
        Assert.Equal(
            ["-c", "redis-server --requirepass $REDIS_PASSWORD --appendonly yes --appendfsync everysec --maxmemory 2gb --maxmemory-policy noeviction"],
            Resources()["redis"]!["args"]!.AsArray().Select(argument => argument!.GetValue<string>()));
    }

    [Fact]
    public void Database_connection_string_builds_on_the_server_and_names_the_database()
    {
        Assert.Equal(
            "{postgres.connectionString};Database=sentimentdb",
            Resources()["sentimentdb"]!["connectionString"]!.GetValue<string>());
    }

    [Fact]
    public void Publishing_reports_where_it_wrote_the_manifest()
    {
        Assert.Contains("Published manifest to: ", _output, StringComparison.Ordinal);
    }

    private JsonObject Resources() => _manifest["resources"]!.AsObject();
}
