using Sentiment.AppHost.ApplicationModel;

namespace Sentiment.AppHost.Hosting;

/// <summary>Returned by the <c>Add*</c> methods; the <c>With*</c> extension methods configure the resource.</summary>
public interface IResourceBuilder<out T>
    where T : IResource
{
    DistributedApplicationBuilder ApplicationBuilder { get; }

    T Resource { get; }
}

internal sealed class ResourceBuilder<T>(DistributedApplicationBuilder applicationBuilder, T resource) : IResourceBuilder<T>
    where T : IResource
{
    public DistributedApplicationBuilder ApplicationBuilder { get; } = applicationBuilder;

    public T Resource { get; } = resource;
}
