using Microsoft.EntityFrameworkCore;
using Sentiment.Contracts.Alerts;

namespace Sentiment.Storage;

/// <summary>The results database. Its schema is applied by EF Core migrations (Storage/Migrations) at worker start-up.</summary>
public sealed class SentimentDbContext(DbContextOptions<SentimentDbContext> options) : DbContext(options)
{
    public const string ResultsTable = "sentiment_analysis";

    public const string AlertsTable = "alerts";
    public const string NotificationAttemptsTable = "notification_attempts";
    public const string NotificationDeliveriesTable = "notification_deliveries";

    /// <summary>
    /// When the alert was appended to <c>sentiment:alerts</c>; null until then. A shadow property, so it stays out of
    /// the alert's JSON (the stream entry and the webhook body).
    /// </summary>
    public const string AlertPublishedAt = "PublishedAt";

    public DbSet<SentimentResult> Results => Set<SentimentResult>();

    public DbSet<Alert> Alerts => Set<Alert>();

    public DbSet<NotificationAttempt> NotificationAttempts => Set<NotificationAttempt>();

    public DbSet<NotificationDelivery> NotificationDeliveries => Set<NotificationDelivery>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Trigram indexes for the dashboard's text search (ILIKE '%...%'); a trusted extension, so the database
        // owner may create it.
        modelBuilder.HasPostgresExtension("pg_trgm");

        modelBuilder.Entity<SentimentResult>(result =>
        {
            result.ToTable(ResultsTable);

            // The design's columns, types and index names, unchanged.
            result.HasKey(r => r.Id).HasName("sentiment_analysis_pkey");
            result.Property(r => r.Id).HasColumnName("id").UseSerialColumn();
            result.Property(r => r.MessageId).HasColumnName("message_id").HasColumnType("varchar(255)");
            result.Property(r => r.Timestamp).HasColumnName("timestamp").HasColumnType("timestamp without time zone").IsRequired();
            result.Property(r => r.Source).HasColumnName("source").HasColumnType("varchar(50)");
            result.Property(r => r.OriginalText).HasColumnName("original_text").HasColumnType("text");
            result.Property(r => r.SentimentLabel).HasColumnName("sentiment_label").HasColumnType("varchar(20)");
            result.Property(r => r.SentimentScore).HasColumnName("sentiment_score").HasColumnType("double precision");
            result.Property(r => r.Confidence).HasColumnName("confidence").HasColumnType("double precision");
            result.Property(r => r.Topic).HasColumnName("topic").HasColumnType("varchar(100)");
            result.Property(r => r.Metadata).HasColumnName("metadata").HasColumnType("jsonb");
            result.Property(r => r.CreatedAt).HasColumnName("created_at").HasColumnType("timestamp without time zone")
                .HasDefaultValueSql("NOW()");

            // UNIQUE in the design; the name is the one PostgreSQL gives a column's UNIQUE constraint.
            result.HasIndex(r => r.MessageId).IsUnique().HasDatabaseName("sentiment_analysis_message_id_key");
            result.HasIndex(r => r.Timestamp).HasDatabaseName("idx_timestamp");
            result.HasIndex(r => r.SentimentLabel).HasDatabaseName("idx_sentiment");
            result.HasIndex(r => r.Source).HasDatabaseName("idx_source");

            // Added by this system. Instants, so timestamptz: the latency processed_at − ingested_at
            // must not depend on a session's time zone.
            result.Property(r => r.ModelVersion).HasColumnName("model_version").HasColumnType("varchar(100)");
            result.Property(r => r.StreamId).HasColumnName("stream_id").HasColumnType("varchar(64)");
            result.Property(r => r.IngestedAt).HasColumnName("ingested_at").HasColumnType("timestamp with time zone");
            result.Property(r => r.ProcessedAt).HasColumnName("processed_at").HasColumnType("timestamp with time zone");
            result.Property(r => r.TopicConfidence).HasColumnName("topic_confidence").HasColumnType("real");
            result.Property(r => r.Keywords).HasColumnName("keywords").HasColumnType("text[]");

            // When the row was written, by the database's clock: clock_timestamp() as the row is formed, inside the
            // INSERT (now() would be the transaction's start, before the statement ran). The commit follows within the
            // same statement's end and its WAL flush, so this is the commit time to within that flush; the true commit
            // time (track_commit_timestamp) needs a server setting managed databases may not offer. Null on rows
            // stored before the column existed.
            result.Property(r => r.StoredAt).HasColumnName("stored_at").HasColumnType("timestamp with time zone")
                .HasDefaultValueSql("clock_timestamp()");

            // The dashboard's read queries (Sentiment.Dashboard/Queries). (timestamp, id) serves time windows and
            // keyset paging newest first; processed_at the processing rate; the trigram GIN index text search.
            result.HasIndex(r => new { r.Timestamp, r.Id }).HasDatabaseName("idx_timestamp_id");
            result.HasIndex(r => r.ProcessedAt).HasDatabaseName("idx_processed_at");
            result.HasIndex(r => r.Topic).HasDatabaseName("idx_topic");
            // A GIN index's fast update (on by default) appends each row's trigrams to a pending list, merged into
            // the index in bulk; the worker's SearchIndexFlusher merges it every few seconds, off the insert path, and
            // the large limit keeps an insert from having to do it itself. At PostgreSQL's default 4 MB an INSERT
            // merged it every ~2,300 rows, and a 64-row batch cost 1.8 times one without the index; now 1.4 times
            // (docs/benchmarks.md).
            result.HasIndex(r => r.OriginalText).HasDatabaseName("idx_original_text_trgm")
                .HasMethod("gin").HasOperators("gin_trgm_ops")
                .HasStorageParameter("gin_pending_list_limit", SearchIndex.PendingListLimitKilobytes);
        });

        modelBuilder.Entity<Alert>(alert =>
        {
            alert.ToTable(AlertsTable);
            alert.HasKey(a => a.Id).HasName("alerts_pkey");
            alert.Property(a => a.Id).HasColumnName("id").ValueGeneratedNever();
            alert.Property(a => a.Type).HasColumnName("type").HasColumnType("varchar(40)");
            alert.Property(a => a.Severity).HasColumnName("severity").HasColumnType("varchar(20)");
            alert.Property(a => a.RuleKey).HasColumnName("rule_key").HasColumnType("text"); // holds a user id, whose length ingest does not limit
            alert.Property(a => a.MessageIds).HasColumnName("message_ids").HasColumnType("text[]");
            alert.Property(a => a.Score).HasColumnName("score").HasColumnType("double precision");
            alert.Property(a => a.Snippet).HasColumnName("snippet").HasColumnType("varchar(200)");
            alert.Property(a => a.Source).HasColumnName("source").HasColumnType("varchar(50)");
            alert.Property(a => a.Link).HasColumnName("link").HasColumnType("text");
            alert.Property(a => a.Reason).HasColumnName("reason").HasColumnType("text");
            alert.Property(a => a.CreatedAt).HasColumnName("created_at").HasColumnType("timestamp with time zone");
            alert.Property(a => a.Status).HasColumnName("status").HasColumnType("varchar(20)");
            alert.Property(a => a.AcknowledgedAt).HasColumnName("acknowledged_at").HasColumnType("timestamp with time zone");
            alert.HasIndex(a => a.CreatedAt).HasDatabaseName("idx_alerts_created_at");
            alert.HasIndex(a => a.Status).HasDatabaseName("idx_alerts_status");

            // The outbox: alerts stored but not yet on the stream, which the workers' sweep publishes.
            alert.Property<DateTimeOffset?>(AlertPublishedAt).HasColumnName("published_at").HasColumnType("timestamp with time zone");
            alert.HasIndex(a => a.CreatedAt, "idx_alerts_unpublished").HasFilter("published_at IS NULL");
        });

        modelBuilder.Entity<NotificationAttempt>(attempt =>
        {
            attempt.ToTable(NotificationAttemptsTable);
            attempt.HasKey(a => a.Id).HasName("notification_attempts_pkey");
            attempt.Property(a => a.Id).HasColumnName("id").UseIdentityAlwaysColumn();
            attempt.Property(a => a.AlertId).HasColumnName("alert_id");
            attempt.Property(a => a.Channel).HasColumnName("channel").HasColumnType("varchar(20)");
            attempt.Property(a => a.Attempt).HasColumnName("attempt");
            attempt.Property(a => a.Outcome).HasColumnName("outcome").HasColumnType("varchar(20)");
            attempt.Property(a => a.Error).HasColumnName("error").HasColumnType("text");
            attempt.Property(a => a.AttemptedAt).HasColumnName("attempted_at").HasColumnType("timestamp with time zone");
            attempt.HasOne<Alert>().WithMany().HasForeignKey(a => a.AlertId).HasConstraintName("fk_notification_attempts_alert");
            attempt.HasIndex(a => a.AlertId).HasDatabaseName("idx_notification_attempts_alert_id");
        });

        modelBuilder.Entity<NotificationDelivery>(delivery =>
        {
            delivery.ToTable(NotificationDeliveriesTable);
            delivery.HasKey(d => new { d.AlertId, d.Channel }).HasName("notification_deliveries_pkey");
            delivery.Property(d => d.AlertId).HasColumnName("alert_id");
            delivery.Property(d => d.Channel).HasColumnName("channel").HasColumnType("varchar(20)");
            delivery.Property(d => d.Outcome).HasColumnName("outcome").HasColumnType("varchar(20)");
            delivery.Property(d => d.Attempts).HasColumnName("attempts");
            delivery.Property(d => d.CompletedAt).HasColumnName("completed_at").HasColumnType("timestamp with time zone");
            delivery.HasOne<Alert>().WithMany().HasForeignKey(d => d.AlertId).HasConstraintName("fk_notification_deliveries_alert");
        });
    }
}
