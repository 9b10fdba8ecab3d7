using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Sentiment.Tests.AppHost;

/// <summary>What stops the host before it starts anything: an error that says what to do.</summary>
[Collection(AppHostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AppHostSetupErrorTests : IDisposable
{
    private readonly DirectoryInfo _dataRoot = Directory.CreateTempSubdirectory("sentiment-setup-tests-");

    public void Dispose() => _dataRoot.Delete(recursive: true);

    [Fact]
    public async Task Missing_redis_server_names_the_package_and_run_sh()
    {
        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => AppHostTesting.CreateBuilderAsync(_dataRoot.FullName, ["--PATH=/nonexistent"]));

        Assert.Equal(
            "redis-server was not found on PATH. Install Debian's redis-server package, or start with ./run.sh, which installs it.",
            error.Message);
    }

    [Fact]
    public async Task Missing_postgres_binaries_name_the_postgresql_package_and_run_sh()
    {
        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() =>
            AppHostTesting.CreateBuilderAsync(_dataRoot.FullName, ["--AppHost:PostgresBinDirectory=/nonexistent/bin"]));

        Assert.Equal(
            "PostgreSQL (initdb, postgres) was not found. Install Debian's postgresql package, or start with ./run.sh, which installs it.",
            error.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("two")]
    public async Task Worker_replicas_outside_1_to_64_are_refused_naming_the_setting(string replicas)
    {
        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() =>
            AppHostTesting.CreateBuilderAsync(_dataRoot.FullName, ["--workers", replicas]));

        Assert.Equal($"AppHost:Replicas:worker must be a whole number from 1 to 64, not '{replicas}'.", error.Message);
    }

    [Fact]
    public async Task Redis_append_fsync_other_than_always_everysec_or_no_is_refused_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() =>
            AppHostTesting.CreateBuilderAsync(_dataRoot.FullName, ["--AppHost:RedisAppendFsync=sometimes"]));

        Assert.Equal("AppHost:RedisAppendFsync must be always, everysec or no, not 'sometimes'.", error.Message);
    }

    [Fact]
    public async Task Worker_and_notifier_replicas_are_set_from_the_command_line_apart()
    {
        var builder = await AppHostTesting.CreateBuilderAsync(_dataRoot.FullName, ["--workers", "3", "--notifiers", "2"]);

        int Replicas(string name) => builder.Resources.OfType<ProjectResource>().Single(resource => resource.Name == name)
            .Annotations.OfType<ReplicaAnnotation>().Single().Replicas;
        Assert.Equal(3, Replicas("worker"));
        Assert.Equal(2, Replicas("notifier"));
    }

    [Fact]
    public async Task One_notifier_runs_by_default()
    {
        var builder = await AppHostTesting.CreateBuilderAsync(_dataRoot.FullName, []);

        var notifier = builder.Resources.OfType<ProjectResource>().Single(resource => resource.Name == "notifier");
        Assert.Equal(1, notifier.Annotations.OfType<ReplicaAnnotation>().Single().Replicas);
    }

    [Fact]
    public async Task Reset_data_deletes_the_servers_data_and_passwords_and_nothing_else()
    {
        Directory.CreateDirectory(Path.Combine(_dataRoot.FullName, "redis"));
        Directory.CreateDirectory(Path.Combine(_dataRoot.FullName, "postgres"));
        await File.WriteAllTextAsync(Path.Combine(_dataRoot.FullName, "secrets.json"), """{ "redis-password": "old" }""");
        await File.WriteAllTextAsync(Path.Combine(_dataRoot.FullName, "redis", "appendonly.aof"), "old data");
        await File.WriteAllTextAsync(Path.Combine(_dataRoot.FullName, "notes.txt"), "not the host's");

        // Without redis-server on PATH the host stops right after the reset, before it makes new passwords.
        await Assert.ThrowsAsync<DistributedApplicationException>(() =>
            AppHostTesting.CreateBuilderAsync(_dataRoot.FullName, ["--reset-data", "--PATH=/nonexistent"]));

        Assert.False(Directory.Exists(Path.Combine(_dataRoot.FullName, "redis")), "redis data should be deleted");
        Assert.False(Directory.Exists(Path.Combine(_dataRoot.FullName, "postgres")), "postgres data should be deleted");
        Assert.False(File.Exists(Path.Combine(_dataRoot.FullName, "secrets.json")), "the old passwords should be deleted");
        Assert.Equal("not the host's", await File.ReadAllTextAsync(Path.Combine(_dataRoot.FullName, "notes.txt")));
    }
}
