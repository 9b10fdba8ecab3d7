namespace Sentiment.Worker.Alerts;

public static class AlertServiceExtensions
{
    /// <summary>The alert rules (section <c>Alerts</c>), with their Redis state, table, stream and outbox sweep.</summary>
    public static IHostApplicationBuilder AddAlerts(this IHostApplicationBuilder builder)
    {
        // The AppHost hands every service the dashboard's address (services__dashboard__http__0); links use it
        // unless Alerts:DashboardBaseUrl says otherwise.
        var dashboard = builder.Configuration["services:dashboard:http:0"];
        builder.Services.AddOptions<AlertOptions>()
            .Configure(options =>
            {
                if (!string.IsNullOrEmpty(dashboard))
                {
                    options.DashboardBaseUrl = dashboard;
                }
            })
            .BindConfiguration(AlertOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton<AlertEvaluator>();
        builder.Services.AddSingleton<AlertWriter>();
        builder.Services.AddSingleton<AlertPublisher>();
        builder.Services.AddSingleton<AlertRaiser>();
        builder.Services.AddSingleton<AlertOutbox>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AlertOutbox>());
        return builder;
    }
}
