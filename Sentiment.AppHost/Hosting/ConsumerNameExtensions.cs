namespace Sentiment.AppHost.Hosting;

public static class ConsumerNameExtensions
{
    // DCP, Aspire's orchestrator, annotates each replica of a project with its index (0 to n-1) and expands this
    // template in the replica's environment. The index is the same on every run and when a replica is restarted from
    // the Aspire dashboard, where the replica's instance id (OTEL_SERVICE_INSTANCE_ID) is random on every run.
    private const string ReplicaIndex = "{{- index .Annotations \"resource-replica-index\" -}}";

    /// <summary>
    /// Names each replica in its consumer group <c>{host}-{resource}-{replica index}</c> (e.g. <c>vm-worker-1</c>),
    /// through <c>{section}:ConsumerName</c>: a replica that restarts, killed or cleanly, takes back at once the entries
    /// it held, instead of leaving them to wait <c>ClaimMinIdle</c> for another replica. Two live replicas never share
    /// a name: the indexes of one AppHost differ, and the host name keeps apart AppHosts of other machines sharing a
    /// Redis. Only when running: a deployment names its replicas itself (docs/apphost.md).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithReplicaConsumerName(this IResourceBuilder<ProjectResource> project, string section)
    {
        if (!project.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return project;
        }

        return project.WithEnvironment(
            $"{section}__ConsumerName", $"{Environment.MachineName}-{project.Resource.Name}-" + ReplicaIndex);
    }
}
