using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>A client integration's connection string, read from <c>ConnectionStrings:{name}</c> (the Aspire contract).</summary>
public sealed class ConnectionStringSettings
{
    public string? ConnectionString { get; set; }
}

internal static class ConnectionStringSettingsExtensions
{
    /// <summary>
    /// Registers <c>ConnectionStrings:{connectionName}</c> as named settings, checked at start-up. It is read when
    /// first needed rather than now: test hosts and the AppHost supply it through configuration sources that are
    /// only complete once the host is built.
    /// </summary>
    public static void AddConnectionStringSettings(this IServiceCollection services, string connectionName) =>
        services.AddOptions<ConnectionStringSettings>(connectionName)
            .Configure<IConfiguration>((settings, configuration) =>
                settings.ConnectionString = configuration.GetConnectionString(connectionName))
            .Validate(
                settings => !string.IsNullOrWhiteSpace(settings.ConnectionString),
                $"ConnectionStrings:{connectionName} is not set. Run the service from Sentiment.AppHost or set ConnectionStrings__{connectionName}.")
            .ValidateOnStart();

    public static string GetConnectionString(this IServiceProvider services, string connectionName) =>
        services.GetRequiredService<IOptionsMonitor<ConnectionStringSettings>>().Get(connectionName).ConnectionString!;
}
