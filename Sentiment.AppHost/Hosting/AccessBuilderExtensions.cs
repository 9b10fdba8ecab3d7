using Microsoft.AspNetCore.Identity;
using Sentiment.AppHost.LocalResources;
using Sentiment.Contracts.Security;

namespace Sentiment.AppHost.Hosting;

/// <summary>
/// The credentials ingest and the dashboard accept. Run mode generates them once into <c>secrets.json</c>: an ingest
/// key for every source, a read key (viewer) and an operator login; the services get only their hashes. Publish mode
/// asks for the hashes as secret parameters of the manifest, so a deployment brings its own.
/// </summary>
public static class AccessBuilderExtensions
{
    public const string LocalKeyName = "local";
    public const string DefaultDashboardUser = "admin";

    private const string IngestKeyHashSetting = "Ingest__Authentication__Keys__0__Sha256";
    private const string ReadKeyHashSetting = "Dashboard__Authentication__ApiKeys__0__Sha256";
    private const string PasswordHashSetting = "Dashboard__Authentication__Users__0__PasswordHash";

    public static IResourceBuilder<ProjectResource> WithIngestKeys(this IResourceBuilder<ProjectResource> ingest)
    {
        var builder = ingest.ApplicationBuilder;
        ingest
            .WithEnvironment("Ingest__Authentication__Keys__0__Name", LocalKeyName)
            .WithEnvironment("Ingest__Authentication__Keys__0__Sources__0", IngestKey.AllSources);
        return builder.ExecutionContext.IsPublishMode
            ? ingest.WithEnvironment(IngestKeyHashSetting, builder.AddParameter("ingest-api-key-sha256", secret: true))
            : ingest.WithEnvironment(IngestKeyHashSetting, ApiKeys.Hash(LocalKey(builder, LocalSecrets.IngestApiKey, ApiKeys.IngestPrefix)));
    }

    public static IResourceBuilder<ProjectResource> WithDashboardLogins(this IResourceBuilder<ProjectResource> dashboard)
    {
        var builder = dashboard.ApplicationBuilder;
        dashboard
            .WithEnvironment("Dashboard__Authentication__Users__0__Role", "operator")
            .WithEnvironment("Dashboard__Authentication__ApiKeys__0__Name", LocalKeyName)
            .WithEnvironment("Dashboard__Authentication__ApiKeys__0__Role", "viewer");
        if (builder.ExecutionContext.IsPublishMode)
        {
            return dashboard
                .WithEnvironment("Dashboard__Authentication__Users__0__Name", DefaultDashboardUser)
                .WithEnvironment(PasswordHashSetting, builder.AddParameter("dashboard-admin-password-hash", secret: true))
                .WithEnvironment(ReadKeyHashSetting, builder.AddParameter("read-api-key-sha256", secret: true));
        }

        var secrets = LocalDataRoot.For(builder).Secrets;
        var user = secrets.GetOrCreate(LocalSecrets.DashboardUser, () => DefaultDashboardUser);
        // The dashboard checks passwords against ASP.NET Core Identity's hash; it never sees the password itself.
        var passwordHash = new PasswordHasher<string>().HashPassword(user, secrets.GetOrCreate(LocalSecrets.DashboardPassword));
        return dashboard
            .WithEnvironment("Dashboard__Authentication__Users__0__Name", user)
            .WithEnvironment(PasswordHashSetting, passwordHash)
            .WithEnvironment(ReadKeyHashSetting, ApiKeys.Hash(LocalKey(builder, LocalSecrets.ReadApiKey, ApiKeys.ReadPrefix)));
    }

    private static string LocalKey(IDistributedApplicationBuilder builder, string name, string prefix) =>
        LocalDataRoot.For(builder).Secrets.GetOrCreate(name, () => ApiKeys.Generate(prefix));
}
