using Sentiment.Ingest;
using Sentiment.Ingest.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIngestServices();            // Extensions/IngestServiceExtensions.cs

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapIngestApi();                     // Api/IngestApi.cs
app.Run();
