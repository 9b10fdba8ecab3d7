using Microsoft.Extensions.Configuration;
using Sentiment.AppHost.ApplicationModel;

namespace Sentiment.AppHost.Hosting;

/// <summary>Collects the app model's resources and the host's configuration, as Aspire's builder does.</summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<IResource> _resources = [];

    internal DistributedApplicationBuilder(string[] args)
    {
        var configuration = new ConfigurationManager();
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(CommandLine.Normalize(args), CommandLine.SwitchMappings);
        Configuration = configuration;
    }

    /// <summary>Environment variables, then the command line; see docs/apphost.md for the keys.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>The folder of Sentiment.AppHost.csproj; project paths are relative to it.</summary>
    public string AppHostDirectory { get; } = AppHostBuildInfo.ProjectDirectory;

    public IReadOnlyList<IResource> Resources => _resources;

    public IResourceBuilder<T> AddResource<T>(T resource)
        where T : IResource
    {
        if (_resources.Any(existing => string.Equals(existing.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' exists already.");
        }

        _resources.Add(resource);
        return new ResourceBuilder<T>(this, resource);
    }

    public DistributedApplication Build() => new(_resources.ToList(), Configuration);
}
