using Sentiment.Model.Classification;
using Sentiment.Model.Topics;
using Sentiment.Worker;
using Sentiment.Worker.Alerts;
using Sentiment.Worker.Notifications;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSentimentModel();            // Sentiment.Contracts/Model/ModelServiceExtensions.cs
builder.AddTopicTagging();              // Sentiment.Contracts/Topics/TopicServiceExtensions.cs
builder.AddWorkerServices();            // Extensions/WorkerServiceExtensions.cs
builder.AddAlerts();                    // Alerts/AlertServiceExtensions.cs
builder.AddNotifications();             // Notifications/NotificationServiceExtensions.cs

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
