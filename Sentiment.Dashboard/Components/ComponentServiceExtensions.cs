using Radzen;
using Sentiment.Dashboard.Components.Overview;

namespace Sentiment.Dashboard.Components;

public static class ComponentServiceExtensions
{
    /// <summary>The pages: Razor components rendered interactively on the server, Radzen's charts, and the views' loaders.</summary>
    public static IHostApplicationBuilder AddDashboardComponents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddRadzenComponents();
        builder.Services.AddSingleton<OverviewLoader>();
        return builder;
    }
}
