using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sentiment.AppHost.LocalResources;

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
                    var logger = readyEvent.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sentiment.AppHost");
                    logger.LogInformation("Sentiment is ready: {Urls}", urls);
                    // Where the credentials are, never the credentials themselves: logs are kept and shared.
                    var secrets = LocalDataRoot.For(builder).Secrets;
                    logger.LogInformation(
                        "Sign in to the dashboard as '{User}' with the password '{PasswordKey}' in {SecretsFile}; post to ingest with its '{IngestKey}' and read the API with '{ReadKey}' (Authorization: Bearer <key>)",
                        secrets.GetOrCreate(LocalSecrets.DashboardUser, () => AccessBuilderExtensions.DefaultDashboardUser),
                        LocalSecrets.DashboardPassword,
                        secrets.FilePath,
                        LocalSecrets.IngestApiKey,
                        LocalSecrets.ReadApiKey);
                }

                return Task.CompletedTask;
            });
        }
    }
}
