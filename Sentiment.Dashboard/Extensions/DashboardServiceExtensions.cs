using Sentiment.Contracts;
using Sentiment.Dashboard.Api;
using Sentiment.Dashboard.Authentication;
using Sentiment.Dashboard.Components;
using Sentiment.Dashboard.Live;
using Sentiment.Dashboard.Queries;
using Sentiment.Storage;

namespace Sentiment.Dashboard;

public static class DashboardServiceExtensions
{
    public static IHostApplicationBuilder AddDashboardServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(ResourceNames.Redis);
        builder.AddNpgsqlDataSource(ResourceNames.Database);
        builder.Services.AddHealthChecks().AddCheck<ResultsSchemaHealthCheck>(ResultsSchemaHealthCheck.Name, tags: ["ready"]);
        builder.AddDashboardAuthentication();   // Authentication/DashboardAuthenticationExtensions.cs
        builder.AddDashboardQueries();          // Queries/QueryServiceExtensions.cs
        builder.AddLiveUpdates();               // Live/LiveServiceExtensions.cs
        builder.AddReadApi();                   // Api/ReadApiExtensions.cs
        builder.AddDashboardComponents();       // Components/ComponentServiceExtensions.cs
        return builder;
    }
}
