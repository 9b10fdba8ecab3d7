using Npgsql;
using NpgsqlTypes;
using Sentiment.Contracts.Alerts;
using Sentiment.Storage;
using Sentiment.Tests.Infrastructure;

namespace Sentiment.Tests.Dashboard.Support;

/// <summary>A row of <c>sentiment_analysis</c> as a test wants it; the columns the dashboard does not read are filled in.</summary>
public sealed record SeedResult(
    string MessageId,
    DateTimeOffset Timestamp,
    string Source,
    string Label,
    double Score,
    string Topic = "general",
    string Text = "some feedback",
    string[]? Keywords = null,
    DateTimeOffset? ProcessedAt = null);

/// <summary>A fresh results database with the current schema (the worker's migrations), and fast ways to fill it.</summary>
public sealed class DashboardDatabase
{
    private DashboardDatabase(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public static async Task<DashboardDatabase> CreateAsync(InfrastructureFixture infrastructure) =>
        new(await infrastructure.CreateMigratedDatabaseAsync());

    /// <summary>Inserts the rows with binary COPY, so tens of thousands take well under a second.</summary>
    public async Task InsertAsync(IEnumerable<SeedResult> results)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using (var writer = await connection.BeginBinaryImportAsync(
            """
            COPY sentiment_analysis (message_id, "timestamp", source, original_text, sentiment_label, sentiment_score,
                confidence, topic, topic_confidence, keywords, model_version, stream_id, ingested_at, processed_at)
            FROM STDIN (FORMAT BINARY)
            """))
        {
            foreach (var result in results)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(result.MessageId, NpgsqlDbType.Varchar);
                await writer.WriteAsync(DateTime.SpecifyKind(result.Timestamp.UtcDateTime, DateTimeKind.Unspecified), NpgsqlDbType.Timestamp);
                await writer.WriteAsync(result.Source, NpgsqlDbType.Varchar);
                await writer.WriteAsync(result.Text, NpgsqlDbType.Text);
                await writer.WriteAsync(result.Label, NpgsqlDbType.Varchar);
                await writer.WriteAsync(result.Score, NpgsqlDbType.Double);
                await writer.WriteAsync(0.9, NpgsqlDbType.Double);
                await writer.WriteAsync(result.Topic, NpgsqlDbType.Varchar);
                await writer.WriteAsync(0.8f, NpgsqlDbType.Real);
                await writer.WriteAsync(result.Keywords ?? [], NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync("test-model", NpgsqlDbType.Varchar);
                await writer.WriteAsync("0-1", NpgsqlDbType.Varchar);
                await writer.WriteAsync(result.Timestamp.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                await writer.WriteAsync((result.ProcessedAt ?? result.Timestamp).ToUniversalTime(), NpgsqlDbType.TimestampTz);
            }

            await writer.CompleteAsync();
        }

        // The rows' trigrams went to the text search index's pending list; in the running system the workers'
        // SearchIndexFlusher merges it within seconds. Left a whole seed long, the planner would price reading it above a
        // scan of the table.
        await using (var merge = new NpgsqlCommand(SearchIndex.FlushSql, connection))
        {
            await merge.ExecuteScalarAsync();
        }

        // ANALYZE samples 300 rows per point of the statistics target (30,000 at the default 100), so on larger seeds
        // the statistics, and the plans QueryPlanTests check, came out differently from run to run. At 1,000 it reads
        // every row of a seed up to 300,000 rows: the same statistics each time.
        await using var analyze = new NpgsqlCommand("SET default_statistics_target = 1000; ANALYZE sentiment_analysis", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    public async Task InsertAlertAsync(Alert alert)
    {
        await using var context = InfrastructureFixture.NewDbContext(ConnectionString);
        context.Alerts.Add(alert);
        await context.SaveChangesAsync();
    }
}
