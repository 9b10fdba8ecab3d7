using Sentiment.AppHost.Hosting;
using Sentiment.Contracts;

var builder = DistributedApplication.CreateBuilder(AppHostSettings.NormalizeArguments(args));

var redis = builder.AddRedisServer(ResourceNames.Redis);
var database = builder.AddPostgresDatabase(ResourceNames.Postgres, ResourceNames.Database);

// Runs once and exits; everything that touches the results database starts after it succeeded.
var migrations = builder.AddProject<Projects.Sentiment_MigrationService>(ResourceNames.Migrations)
    .WithReference(database)
    .WaitFor(database);

var ingest = builder.AddProject<Projects.Sentiment_Ingest>(ResourceNames.Ingest)
    .WithHttpEndpoint(port: builder.IngestPort())
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithIngestKeys()
    .WithReference(redis)
    .WaitFor(redis)
    .WaitForCompletion(migrations);

var dashboard = builder.AddProject<Projects.Sentiment_Dashboard>(ResourceNames.Dashboard)
    .WithHttpEndpoint(port: builder.DashboardPort())
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithDashboardLogins()
    .WithReference(redis)
    .WithReference(database)
    .WithReference(ingest)
    .WaitFor(redis)
    .WaitForCompletion(migrations);

builder.AddProject<Projects.Sentiment_Worker>(ResourceNames.Worker)
    .WithReplicas(builder.WorkerReplicas())
    .WithReplicaConsumerName("Worker")
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health")
    .WithReference(redis)
    .WithReference(database)
    .WithReference(dashboard) // alert links point at the dashboard's address
    .WaitFor(redis)
    .WaitForCompletion(migrations);

// Delivers the alerts the workers raise (sentiment:alerts, group sentiment-notifiers) to Slack, the webhook, email
// and SMS; scaled apart from the workers.
builder.AddProject<Projects.Sentiment_Notifier>(ResourceNames.Notifier)
    .WithReplicas(builder.NotifierReplicas())
    .WithReplicaConsumerName("Notifier")
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health")
    .WithReference(redis)
    .WithReference(database)
    .WaitFor(redis)
    .WaitForCompletion(migrations);

builder.RunProjectsInServiceEnvironment();
builder.LogUrlsWhenReady(ingest, dashboard);

builder.Build().Run();
