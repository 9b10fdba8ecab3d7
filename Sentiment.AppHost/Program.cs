using Sentiment.AppHost.ApplicationModel;
using Sentiment.AppHost.Hosting;
using Sentiment.Core;

var builder = DistributedApplication.CreateBuilder(args);

var redis = builder.AddRedis(ResourceNames.Redis);
var postgres = builder.AddPostgres(ResourceNames.Postgres);
var db = postgres.AddDatabase(ResourceNames.Database);

var ingest = builder.AddProject(ResourceNames.Ingest, "../Sentiment.Ingest/Sentiment.Ingest.csproj")
    .WithHttpEndpoint(port: 5080)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck(HealthEndpoints.Readiness)
    .WithReference(redis)
    .WaitFor(redis);

var dashboard = builder.AddProject(ResourceNames.Dashboard, "../Sentiment.Dashboard/Sentiment.Dashboard.csproj")
    .WithHttpEndpoint(port: 5081)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck(HealthEndpoints.Readiness)
    .WithReference(redis)
    .WithReference(db)
    .WithReference(ingest)
    .WaitFor(redis)
    .WaitFor(db);

builder.AddProject(ResourceNames.Worker, "../Sentiment.Worker/Sentiment.Worker.csproj")
    .WithReplicas(2)
    .WithHttpHealthCheck(HealthEndpoints.Readiness)
    .WithReference(redis)
    .WithReference(db)
    .WithReference(dashboard)          // alert links point at the dashboard's address
    .WaitFor(redis)
    .WaitFor(db);

builder.Build().Run();
