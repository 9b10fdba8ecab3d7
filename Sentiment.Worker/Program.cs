using Sentiment.Model.Classification;
using Sentiment.Model.Topics;
using Sentiment.Worker;
using Sentiment.Worker.Alerts;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSentimentModel();
builder.AddTopicTagging();
builder.AddWorkerServices();
builder.AddAlerts();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
