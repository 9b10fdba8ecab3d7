using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The PostgreSQL client integrations, mirroring Aspire.Npgsql and Aspire.Npgsql.EntityFrameworkCore.PostgreSQL
/// (which the package feed here lacks): one pooled <see cref="NpgsqlDataSource"/> per process, an optional pooled
/// DbContext on top of it, and a readiness check. One database per service.
/// </summary>
public static class NpgsqlClientExtensions
{
    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    public static IHostApplicationBuilder AddNpgsqlDataSource(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<NpgsqlDataSourceBuilder>? configureDataSourceBuilder = null)
    {
        builder.Services.AddConnectionStringSettings(connectionName);

        builder.Services.AddSingleton(services =>
        {
            var dataSourceBuilder = new NpgsqlDataSourceBuilder(services.GetConnectionString(connectionName));
            dataSourceBuilder.UseLoggerFactory(services.GetRequiredService<ILoggerFactory>());
            configureDataSourceBuilder?.Invoke(dataSourceBuilder);
            return dataSourceBuilder.Build();
        });

        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            connectionName,
            services => new NpgsqlHealthCheck(services.GetRequiredService<NpgsqlDataSource>()),
            failureStatus: HealthStatus.Unhealthy,
            tags: ["ready", "postgres"],
            timeout: HealthCheckTimeout));

        return builder;
    }

    /// <summary>
    /// Registers a pooled <typeparamref name="TContext"/> that opens its connections from the service's
    /// <see cref="NpgsqlDataSource"/>, adding that data source (and its health check) when not yet registered.
    /// </summary>
    public static IHostApplicationBuilder AddNpgsqlDbContext<TContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<NpgsqlDbContextOptionsBuilder>? configureNpgsql = null)
        where TContext : DbContext
    {
        if (!builder.Services.Any(descriptor => descriptor.ServiceType == typeof(NpgsqlDataSource)))
        {
            builder.AddNpgsqlDataSource(connectionName);
        }

        builder.Services.AddDbContextPool<TContext>((services, options) =>
            options.UseNpgsql(services.GetRequiredService<NpgsqlDataSource>(), configureNpgsql));

        return builder;
    }
}
