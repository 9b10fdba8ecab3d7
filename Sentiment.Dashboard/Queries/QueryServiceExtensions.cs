using Microsoft.Extensions.DependencyInjection.Extensions;
using Sentiment.Dashboard.Trending;

namespace Sentiment.Dashboard.Queries;

public static class QueryServiceExtensions
{
    /// <summary>
    /// The read model over PostgreSQL that the read API and the Blazor views share. Singletons: each call opens
    /// a pooled connection from the NpgsqlDataSource, so no state is shared between a circuit's concurrent renders.
    /// <see cref="BacklogQuery"/> reads Redis instead, and shares one reading a second between all views.
    /// </summary>
    public static IHostApplicationBuilder AddDashboardQueries(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<MetricsQuery>();
        builder.Services.AddSingleton<SentimentOverTimeQuery>();
        builder.Services.AddSingleton<TopTopicsQuery>();
        builder.Services.AddSingleton<SourcesQuery>();
        builder.Services.AddSingleton<MessageSearchQuery>();
        builder.Services.AddSingleton<MessageDetailQuery>();
        builder.Services.AddSingleton<AlertsQuery>();
        builder.Services.AddSingleton<BacklogQuery>();
        builder.Services.AddOptions<TrendingOptions>()
            .BindConfiguration(TrendingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<TrendingKeywordsQuery>();
        builder.Services.AddSingleton<TrendingQuery>();
        return builder;
    }
}
