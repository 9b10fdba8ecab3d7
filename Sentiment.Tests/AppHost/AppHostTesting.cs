using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sentiment.AppHost.LocalResources;
using Sentiment.Contracts;

namespace Sentiment.Tests.AppHost;

/// <summary>The real AppHost's app model through Aspire.Hosting.Testing, with its data in a folder of the test's.</summary>
public static class AppHostTesting
{
    public static async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(
        string dataRoot, IEnumerable<string>? arguments = null, bool enableDashboard = false)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Sentiment_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = enableDashboard },
            [$"--AppHost:DataRoot={dataRoot}", "--environment=Development", .. arguments ?? []]);

        // Every line each resource prints would otherwise go to the test log (PostgreSQL's all as errors); the
        // resources' health and states say what a failing test needs.
        builder.Services.AddLogging(logging => logging
            .AddFilter("Sentiment.AppHost.Resources", LogLevel.None)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning));
        return builder;
    }

    /// <summary>
    /// Starts the AppHost's Redis and PostgreSQL (with sentimentdb) alone, leaving the services out of the model, and
    /// returns once both are healthy.
    /// </summary>
    /// <param name="maxConnections">PostgreSQL's <c>max_connections</c>, when the default 100 is too few.</param>
    public static async Task<DistributedApplication> StartInfrastructureAsync(string dataRoot, CancellationToken cancellationToken, int? maxConnections = null)
    {
        var builder = await CreateBuilderAsync(dataRoot);
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            builder.Resources.Remove(project);
        }

        if (maxConnections is { } connections)
        {
            builder.CreateResourceBuilder(builder.Resources.OfType<LocalPostgresServerResource>().Single()).WithMaxConnections(connections);
        }

        var app = await builder.BuildAsync(cancellationToken);
        try
        {
            await app.StartAsync(cancellationToken);
            await app.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Redis, cancellationToken);
            await app.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Database, cancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>The process id DCP reports for an executable resource, such as redis.</summary>
    public static int ProcessIdOf(this DistributedApplication app, string resourceName)
    {
        Assert.True(app.ResourceNotifications.TryGetCurrentState(resourceName, out var current), $"{resourceName} has no state");
        var pid = current.Snapshot.Properties.Single(property => property.Name == "executable.pid").Value;
        return Convert.ToInt32(pid, System.Globalization.CultureInfo.InvariantCulture);
    }
}
