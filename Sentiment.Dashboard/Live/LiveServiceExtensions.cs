using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sentiment.Contracts;
using Sentiment.Dashboard.Hubs;
using Sentiment.Dashboard.Telemetry;
using StackExchange.Redis;

namespace Sentiment.Dashboard.Live;

public static class LiveServiceExtensions
{
    /// <summary>Prefix of the backplane's Redis channels, so they sort apart from the pipeline's keys.</summary>
    public const string BackplaneChannelPrefix = "sentiment:signalr:";

    /// <summary>
    /// The live path: readers of the results channel and the alert stream, the <see cref="LiveUpdates"/> singleton
    /// the views subscribe to, and the SignalR hub with its Redis backplane (section <c>Live</c>).
    /// </summary>
    public static IHostApplicationBuilder AddLiveUpdates(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LiveOptions>()
            .BindConfiguration(LiveOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DashboardTelemetry>();
        builder.Services.AddSingleton<LiveUpdates>();
        builder.Services.AddSingleton<LiveFeedHealth>();
        builder.Services.AddHealthChecks().AddCheck<LiveFeedHealth>("live-feed", tags: ["ready"]);
        builder.Services.AddSingleton<HubFeed>();
        builder.Services.AddSingleton<AlertAcknowledger>();
        builder.Services.AddHostedService<ResultsChannelReader>();
        builder.Services.AddHostedService<AlertStreamReader>();

        // The backplane keeps its own connection (the ConnectionStrings:redis the client uses): it holds
        // subscriptions for every group and connection, apart from the app's commands.
        builder.Services.AddSignalR().AddStackExchangeRedis();
        builder.Services.AddOptions<RedisOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            var connectionString = configuration.GetConnectionString(ResourceNames.Redis)
                ?? throw new InvalidOperationException($"ConnectionStrings:{ResourceNames.Redis} is not set.");
            options.Configuration = ConfigurationOptions.Parse(connectionString);
            options.Configuration.AbortOnConnectFail = false;
            options.Configuration.ChannelPrefix = RedisChannel.Literal(BackplaneChannelPrefix);
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapSentimentHub(this IEndpointRouteBuilder app)
    {
        app.MapHub<SentimentHub>(SentimentHub.Path);
        return app;
    }
}
