using Radzen;
using Sentiment.Core;
using Sentiment.Core.Storage;
using Sentiment.Dashboard.Overview;

namespace Sentiment.Dashboard;

public static class DashboardServiceExtensions
{
    public static IHostApplicationBuilder AddDashboardServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(ResourceNames.Redis);
        builder.AddNpgsqlDbContext<SentimentDbContext>(ResourceNames.Database);
        builder.Services.AddScoped<SentimentOverviewQuery>();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddRadzenComponents();
        return builder;
    }
}
