using Sentiment.Contracts;
using Sentiment.Storage;

namespace Sentiment.MigrationService.Migrations;

public static class MigrationServiceExtensions
{
    public static IHostApplicationBuilder AddDatabaseMigrations(this IHostApplicationBuilder builder)
    {
        // The migrator retries the whole run itself, under its advisory lock, so EF Core's retrying strategy is off.
        builder.AddNpgsqlDbContext<SentimentDbContext>(ResourceNames.Database, settings => settings.DisableRetry = true);
        builder.Services.AddOptions<MigrationOptions>()
            .BindConfiguration(MigrationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddHostedService<MigrationRun>();
        return builder;
    }
}
