namespace Sentiment.AppHost.Hosting;

public static class EnvironmentExtensions
{
    /// <summary>
    /// Runs every project in the AppHost's own environment (Development under <c>./run.sh</c>, from its launch profile).
    /// The services have no launch profiles of their own, so without this they would run as Production.
    /// </summary>
    public static IDistributedApplicationBuilder RunProjectsInHostEnvironment(this IDistributedApplicationBuilder builder)
    {
        var environment = builder.Environment.EnvironmentName;
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
