using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Sentiment.Core.Topics.Trending;

public static class TrendingServiceExtensions
{
    /// <summary>
    /// Registers <see cref="TrendingOptions"/> (section <c>Trending</c>, validated at start) and
    /// <see cref="TrendingKeywordsQuery"/>. The host registers the results database's <c>NpgsqlDataSource</c>
    /// (ServiceDefaults' <c>AddNpgsqlDataSource</c> or <c>AddNpgsqlDbContext</c>).
    /// </summary>
    public static IHostApplicationBuilder AddTrendingKeywords(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrendingOptions>()
            .BindConfiguration(TrendingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<TrendingKeywordsQuery>();
        return builder;
    }
}
