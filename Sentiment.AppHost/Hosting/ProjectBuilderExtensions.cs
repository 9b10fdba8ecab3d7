using Sentiment.AppHost.ApplicationModel;

namespace Sentiment.AppHost.Hosting;

public static class ProjectBuilderExtensions
{
    /// <summary>A project of the solution, run as <c>dotnet bin/{Configuration}/{tfm}/{Project}.dll</c>.</summary>
    /// <param name="projectPath">The .csproj file, relative to the AppHost's project folder.</param>
    public static IResourceBuilder<ProjectResource> AddProject(
        this DistributedApplicationBuilder builder, string name, string projectPath) =>
        builder.AddResource(new ProjectResource(name, Path.GetFullPath(Path.Combine(builder.AppHostDirectory, projectPath))));

    /// <summary>The HTTP endpoint's port on 127.0.0.1. <c>AppHost:Ports:{name}</c> overrides it.</summary>
    public static IResourceBuilder<ProjectResource> WithHttpEndpoint(this IResourceBuilder<ProjectResource> builder, int port)
    {
        builder.Resource.HttpPort = port;
        return builder;
    }

    /// <summary>Marks the HTTP endpoint as one for people and other systems; the host prints it when ready.</summary>
    public static IResourceBuilder<ProjectResource> WithExternalHttpEndpoints(this IResourceBuilder<ProjectResource> builder)
    {
        builder.Resource.IsExternal = true;
        return builder;
    }

    /// <summary>A replica is ready, and restarted when it crashes, once GET <paramref name="path"/> answers 200.</summary>
    public static IResourceBuilder<ProjectResource> WithHttpHealthCheck(
        this IResourceBuilder<ProjectResource> builder, string path = HealthEndpoints.Readiness)
    {
        builder.Resource.HealthCheckPath = path;
        return builder;
    }

    /// <summary>How many copies run, each on its own free port. <c>AppHost:Replicas:{name}</c> overrides it.</summary>
    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        builder.Resource.Replicas = replicas;
        return builder;
    }

    /// <summary>Passes <c>ConnectionStrings__{name}</c> of <paramref name="source"/> to every replica.</summary>
    public static IResourceBuilder<ProjectResource> WithReference(
        this IResourceBuilder<ProjectResource> builder, IResourceBuilder<IResourceWithConnectionString> source)
    {
        builder.Resource.References.Add(source.Resource);
        return builder;
    }

    /// <summary>Passes <c>services__{name}__http__{i}</c>, one per replica of <paramref name="source"/>.</summary>
    public static IResourceBuilder<ProjectResource> WithReference(
        this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ProjectResource> source)
    {
        builder.Resource.References.Add(source.Resource);
        return builder;
    }

    /// <summary>Starts the project only once <paramref name="dependency"/> is ready.</summary>
    public static IResourceBuilder<ProjectResource> WaitFor(
        this IResourceBuilder<ProjectResource> builder, IResourceBuilder<IResource> dependency)
    {
        builder.Resource.WaitsFor.Add(dependency.Resource);
        return builder;
    }
}
