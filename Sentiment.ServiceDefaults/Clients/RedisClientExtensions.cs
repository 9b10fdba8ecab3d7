using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

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
        builder.Services.AddConnectionStringSettings(connectionName);

        builder.Services.AddSingleton<IConnectionMultiplexer>(services =>
        {
            var options = ConfigurationOptions.Parse(services.GetConnectionString(connectionName));
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
