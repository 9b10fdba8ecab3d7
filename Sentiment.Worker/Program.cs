using Sentiment.Core.Model;
using Sentiment.Core.Topics;
using Sentiment.Worker;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSentimentModel();            // Sentiment.Core/Model/ModelServiceExtensions.cs
builder.AddTopicTagging();              // Sentiment.Core/Topics/TopicServiceExtensions.cs
builder.AddWorkerServices();            // Extensions/WorkerServiceExtensions.cs

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
