using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Sentiment.MigrationService.Migrations;
using Sentiment.Storage;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;

namespace Sentiment.Tests.Migrations;

[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class MigrationTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Two_migrators_migrating_together_apply_each_migration_once()
    {
        // A few rounds, each on a fresh database, to give the race a chance to show.
        for (var round = 0; round < 5; round++)
        {
            var database = await infrastructure.CreateDatabaseAsync();

            var log = await MigrateConcurrentlyAsync(database, migrators: 2);

            Assert.Equal(AllMigrations(), await AppliedMigrationsAsync(database));
            // Each migration's DDL ran once, and neither migrator had to recover from the other's work by retrying.
            AssertEachMigrationAppliedOnce(log);
            Assert.DoesNotContain(log, entry => entry.Level == LogLevel.Warning);
        }
    }

    [Fact]
    public async Task Two_migrators_migrating_together_create_a_missing_database_once()
    {
        var database = new NpgsqlConnectionStringBuilder(infrastructure.PostgresAdminConnectionString)
        {
            Database = $"missing_{Guid.NewGuid():N}",
        }.ConnectionString;

        var log = await MigrateConcurrentlyAsync(database, migrators: 2);

        Assert.Equal(AllMigrations(), await AppliedMigrationsAsync(database));
        AssertEachMigrationAppliedOnce(log);
        Assert.DoesNotContain(log, entry => entry.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Migrated_table_is_the_original_design_plus_seven_columns()
    {
        var database = await infrastructure.CreateDatabaseAsync();
        await MigrateConcurrentlyAsync(database, migrators: 1);

        var columns = await QueryAsync(database, """
            SELECT column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '')
                   || CASE is_nullable WHEN 'NO' THEN ' not null' ELSE '' END
                   || coalesce(' default ' || column_default, '')
            FROM information_schema.columns WHERE table_name = 'sentiment_analysis' ORDER BY ordinal_position
            """);
        var indexes = await QueryAsync(database, "SELECT indexdef FROM pg_indexes WHERE tablename = 'sentiment_analysis' ORDER BY indexname");

        Assert.Equal(
        [
            "id integer not null default nextval('sentiment_analysis_id_seq'::regclass)",
            "message_id character varying(255)",
            "timestamp timestamp without time zone not null",
            "source character varying(50)",
            "original_text text",
            "sentiment_label character varying(20)",
            "sentiment_score double precision",
            "confidence double precision",
            "topic character varying(100)",
            "metadata jsonb",
            "created_at timestamp without time zone default now()",
            "model_version character varying(100)",
            "stream_id character varying(64)",
            "ingested_at timestamp with time zone",
            "processed_at timestamp with time zone",
            "keywords ARRAY",
            "topic_confidence real",
            // Set by the database as it writes the row (migration CheaperWritesAndStoredAt).
            "stored_at timestamp with time zone default clock_timestamp()",
        ], columns);
        Assert.Equal(
        [
            // Added for the dashboard's read queries (migration AddDashboardReadModel); its pending list's limit
            // raised (CheaperWritesAndStoredAt), so that inserts leave merging it to SearchIndexFlusher.
            "CREATE INDEX idx_original_text_trgm ON public.sentiment_analysis USING gin (original_text gin_trgm_ops) WITH (gin_pending_list_limit='32768')",
            "CREATE INDEX idx_processed_at ON public.sentiment_analysis USING btree (processed_at)",
            "CREATE INDEX idx_sentiment ON public.sentiment_analysis USING btree (sentiment_label)",
            "CREATE INDEX idx_source ON public.sentiment_analysis USING btree (source)",
            "CREATE INDEX idx_timestamp ON public.sentiment_analysis USING btree (\"timestamp\")",
            "CREATE INDEX idx_timestamp_id ON public.sentiment_analysis USING btree (\"timestamp\", id)",
            "CREATE INDEX idx_topic ON public.sentiment_analysis USING btree (topic)",
            "CREATE UNIQUE INDEX sentiment_analysis_message_id_key ON public.sentiment_analysis USING btree (message_id)",
            "CREATE UNIQUE INDEX sentiment_analysis_pkey ON public.sentiment_analysis USING btree (id)",
        ], indexes);
    }

    [Fact]
    public void Model_has_no_changes_missing_from_the_migrations()
    {
        // A model change without its migration (or a merge that left the snapshot behind) would be applied nowhere.
        using var context = new SentimentDbContextFactory().CreateDbContext([]);

        Assert.False(context.Database.HasPendingModelChanges(), "The model differs from the migrations' snapshot: run dotnet ef migrations add.");
    }

    /// <summary>Runs the migration service's migrator from separate service providers (separate pools, as separate processes would), released together.</summary>
    /// <returns>What the migrators logged.</returns>
    private static async Task<IReadOnlyCollection<CapturedLog>> MigrateConcurrentlyAsync(string connectionString, int migrators)
    {
        var log = new LogCapture();
        var providers = Enumerable.Range(0, migrators).Select(_ => CreateServices(connectionString, log)).ToList();
        try
        {
            using var start = new Barrier(migrators);
            var runs = providers.Select(services => Task.Run(async () =>
            {
                start.SignalAndWait();
                await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
            }));
            await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(60));
            return log.Records;
        }
        finally
        {
            foreach (var provider in providers)
            {
                await provider.DisposeAsync();
            }
        }
    }

    private static ServiceProvider CreateServices(string connectionString, LogCapture log)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(log).SetMinimumLevel(LogLevel.Information));
        services.AddDbContext<SentimentDbContext>(options => options.UseNpgsql(connectionString));
        services.AddSingleton(Options.Create(new MigrationOptions
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromSeconds(1),
        }));
        services.AddSingleton<DatabaseMigrator>();
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Checks that every migration's DDL ran exactly once across all migrators: the one holding the lock applies it,
    /// and the others, once they get the lock, find nothing pending.
    /// </summary>
    private static void AssertEachMigrationAppliedOnce(IReadOnlyCollection<CapturedLog> log)
    {
        foreach (var migration in AllMigrations())
        {
            var applying = log.Count(entry => entry.EventId.Id == RelationalEventId.MigrationApplying.Id
                && entry.Message.Contains(migration, StringComparison.Ordinal));
            Assert.True(applying == 1, $"Migration {migration} was applied {applying} times; expected exactly once.");
        }
    }

    private static List<string> AllMigrations()
    {
        using var context = new SentimentDbContextFactory().CreateDbContext([]);
        return [.. context.Database.GetMigrations()];
    }

    private static Task<List<string>> AppliedMigrationsAsync(string connectionString) =>
        QueryAsync(connectionString, """SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" """);

    private static async Task<List<string>> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
