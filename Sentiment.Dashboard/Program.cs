using Sentiment.Dashboard;
using Sentiment.Dashboard.Api;
using Sentiment.Dashboard.Authentication;
using Sentiment.Dashboard.Components;
using Sentiment.Dashboard.Live;

var builder = WebApplication.CreateBuilder(args);
// Serves the framework's and packages' static files (blazor.web.js, Radzen) from a build as well as from a publish;
// ASP.NET Core does this on its own only in Development, and the AppHost runs the services as Production.
builder.WebHost.UseStaticWebAssets();
builder.AddServiceDefaults();
builder.AddDashboardServices();

var app = builder.Build();
app.UseDashboardErrorHandling();
app.UseDashboardAuthentication();
app.UseAntiforgery();

app.MapDefaultEndpoints();
app.MapStaticAssets().AllowAnonymous(); // the login page's styles and scripts
app.MapAccountEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapSentimentHub();
app.MapReadApi();
app.Run();
