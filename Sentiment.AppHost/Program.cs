using Sentiment.AppHost.Hosting;
using Sentiment.Core;

var builder = DistributedApplication.CreateBuilder(AppHostSettings.NormalizeArguments(args));

var redis = builder.AddRedisServer(ResourceNames.Redis);
var database = builder.AddPostgresDatabase(ResourceNames.Postgres, ResourceNames.Database);

var ingest = builder.AddProject<Projects.Sentiment_Ingest>(ResourceNames.Ingest)
    .WithHttpEndpoint(port: builder.IngestPort())
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReference(redis)
    .WaitFor(redis);

var dashboard = builder.AddProject<Projects.Sentiment_Dashboard>(ResourceNames.Dashboard)
    .WithHttpEndpoint(port: builder.DashboardPort())
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReference(redis)
    .WithReference(database)
    .WithReference(ingest)
    .WaitFor(redis)
    .WaitFor(database);

builder.AddProject<Projects.Sentiment_Worker>(ResourceNames.Worker)
    .WithReplicas(builder.WorkerReplicas())
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health")
    .WithReference(redis)
    .WithReference(database)
    .WithReference(dashboard) // alert links point at the dashboard's address
    .WaitFor(redis)
    .WaitFor(database);

builder.LogUrlsWhenReady(ingest, dashboard);

builder.Build().Run();
