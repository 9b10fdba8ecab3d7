using Sentiment.Core.Model;
using Sentiment.Core.Topics;
using Sentiment.Worker;
using Sentiment.Worker.Alerts;
using Sentiment.Worker.Notifications;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSentimentModel();            // Sentiment.Core/Model/ModelServiceExtensions.cs
builder.AddTopicTagging();              // Sentiment.Core/Topics/TopicServiceExtensions.cs
builder.AddWorkerServices();            // Extensions/WorkerServiceExtensions.cs
builder.AddAlerts();                    // Alerts/AlertServiceExtensions.cs
builder.AddNotifications();             // Notifications/NotificationServiceExtensions.cs

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
