namespace Sentiment.AppHost.ApplicationModel;

/// <summary>A .NET project of the solution, run from its build output.</summary>
public sealed class ProjectResource(string name, string projectPath) : IResource
{
    public string Name { get; } = name;

    /// <summary>Full path of the .csproj file.</summary>
    public string ProjectPath { get; } = projectPath;

    public int Replicas { get; set; } = 1;

    /// <summary>HTTP port on 127.0.0.1; 0 gives each replica a free port.</summary>
    public int HttpPort { get; set; }

    /// <summary>Whether the HTTP endpoint is for people and other systems, not just the other resources.</summary>
    public bool IsExternal { get; set; }

    /// <summary>Path that answers 200 once a replica is ready; null means ready when the port accepts connections.</summary>
    public string? HealthCheckPath { get; set; }

    public IList<IResource> References { get; } = [];

    public IList<IResource> WaitsFor { get; } = [];
}
