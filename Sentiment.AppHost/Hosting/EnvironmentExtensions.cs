namespace Sentiment.AppHost.Hosting;

public static class EnvironmentExtensions
{
    public const string ServiceEnvironmentSetting = "AppHost:ServiceEnvironment";

    /// <summary>
    /// Runs every project as <c>Production</c> (or <c>AppHost:ServiceEnvironment</c>), whatever the AppHost's own
    /// environment: the services then show no developer exception page and answer errors with ProblemDetails, as they
    /// will deployed. The AppHost itself stays in Development under <c>./run.sh</c> for the Aspire dashboard.
    /// </summary>
    public static IDistributedApplicationBuilder RunProjectsInServiceEnvironment(this IDistributedApplicationBuilder builder)
    {
        var environment = builder.Configuration[ServiceEnvironmentSetting] is { Length: > 0 } configured ? configured : "Production";
        builder.Eventing.Subscribe<BeforeStartEvent>((startEvent, _) =>
        {
            foreach (var project in startEvent.Model.Resources.OfType<ProjectResource>())
            {
                project.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
                {
                    context.EnvironmentVariables["ASPNETCORE_ENVIRONMENT"] = environment;
                    context.EnvironmentVariables["DOTNET_ENVIRONMENT"] = environment;
                }));
            }

            return Task.CompletedTask;
        });
        return builder;
    }
}
