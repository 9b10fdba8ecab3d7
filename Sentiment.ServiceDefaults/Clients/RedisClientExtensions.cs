using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>Settings of the Redis client, read from <c>ConnectionStrings:{name}</c>.</summary>
public sealed class RedisClientSettings
{
    public string? ConnectionString { get; set; }
}

/// <summary>
/// The Redis client integration, mirroring Aspire.StackExchange.Redis (which the package feed here lacks):
/// one <see cref="IConnectionMultiplexer"/> per process and a readiness check.
/// </summary>
public static class RedisClientExtensions
{
    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    public static IHostApplicationBuilder AddRedisClient(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<ConfigurationOptions>? configureOptions = null)
    {
        // Read when first needed rather than now: test hosts and the AppHost supply the connection string
        // through configuration sources that are only complete once the host is built.
        builder.Services.AddOptions<RedisClientSettings>(connectionName)
            .Configure<IConfiguration>((settings, configuration) =>
                settings.ConnectionString = configuration.GetConnectionString(connectionName))
            .Validate(
                settings => !string.IsNullOrWhiteSpace(settings.ConnectionString),
                $"ConnectionStrings:{connectionName} is not set. Run the service from Sentiment.AppHost or set ConnectionStrings__{connectionName}.")
            .ValidateOnStart();

        builder.Services.AddSingleton<IConnectionMultiplexer>(services =>
        {
            var settings = services.GetRequiredService<IOptionsMonitor<RedisClientSettings>>().Get(connectionName);
            var options = ConfigurationOptions.Parse(settings.ConnectionString!);
            // Start even while Redis is down and keep reconnecting in the background; callers see
            // IsConnected = false or a RedisConnectionException and degrade (503, retry) instead.
            options.AbortOnConnectFail = false;
            configureOptions?.Invoke(options);
            var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("StackExchange.Redis");
            var multiplexer = ConnectionMultiplexer.Connect(options);
            multiplexer.ConnectionFailed += (_, e) =>
                log.LogWarning("Redis connection to {EndPoint} failed: {FailureType}", e.EndPoint, e.FailureType);
            multiplexer.ConnectionRestored += (_, e) =>
                log.LogInformation("Redis connection to {EndPoint} restored", e.EndPoint);
            return multiplexer;
        });

        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            connectionName,
            services => new RedisHealthCheck(services.GetRequiredService<IConnectionMultiplexer>()),
            failureStatus: HealthStatus.Unhealthy,
            tags: ["ready", "redis"],
            timeout: HealthCheckTimeout));

        return builder;
    }
}
