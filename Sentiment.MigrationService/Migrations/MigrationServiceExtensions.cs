using Sentiment.Core;
using Sentiment.Core.Storage;

namespace Sentiment.MigrationService.Migrations;

public static class MigrationServiceExtensions
{
    public static IHostApplicationBuilder AddDatabaseMigrations(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<SentimentDbContext>(ResourceNames.Database);
        builder.Services.AddOptions<MigrationOptions>()
            .BindConfiguration(MigrationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddHostedService<MigrationRun>();
        return builder;
    }
}
