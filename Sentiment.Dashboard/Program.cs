using Sentiment.Dashboard;
using Sentiment.Dashboard.Api;
using Sentiment.Dashboard.Authentication;
using Sentiment.Dashboard.Components;
using Sentiment.Dashboard.Live;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDashboardServices();

var app = builder.Build();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseDashboardAuthentication();
app.UseAntiforgery();

app.MapDefaultEndpoints();
app.MapStaticAssets().AllowAnonymous(); // the login page's styles and scripts
app.MapAccountEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapSentimentHub();
app.MapReadApi();
app.Run();
