using Sentiment.MigrationService.Migrations;

var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults();
builder.AddDatabaseMigrations();

builder.Build().Run();
