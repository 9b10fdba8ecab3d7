using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sentiment.AppHost.Hosting;

public static class ReadyBanner
{
    /// <summary>Logs one line with the addresses a user opens, once every given resource is healthy.</summary>
    public static void LogUrlsWhenReady(this IDistributedApplicationBuilder builder, params IResourceBuilder<IResourceWithEndpoints>[] resources)
    {
        var pending = resources.Length;
        foreach (var resource in resources)
        {
            builder.Eventing.Subscribe<ResourceReadyEvent>(resource.Resource, (readyEvent, _) =>
            {
                if (Interlocked.Decrement(ref pending) == 0)
                {
                    var urls = string.Join(", ", resources.Select(r => $"{r.Resource.Name} {r.GetEndpoint("http").Url}"));
                    readyEvent.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sentiment.AppHost")
                        .LogInformation("Sentiment is ready: {Urls}", urls);
                }

                return Task.CompletedTask;
            });
        }
    }
}
