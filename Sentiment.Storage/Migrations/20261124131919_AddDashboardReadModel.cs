using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sentiment.Storage.Migrations
{
    /// <inheritdoc />
    public partial class AddDashboardReadModel : Migration
    {
        private static readonly string[] TrigramOperators = ["gin_trgm_ops"];
        private static readonly string[] TimestampIdColumns = ["timestamp", "id"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "acknowledged_at",
                table: "alerts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "idx_original_text_trgm",
                table: "sentiment_analysis",
                column: "original_text")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", TrigramOperators);

            migrationBuilder.CreateIndex(
                name: "idx_processed_at",
                table: "sentiment_analysis",
                column: "processed_at");

            migrationBuilder.CreateIndex(
                name: "idx_timestamp_id",
                table: "sentiment_analysis",
                columns: TimestampIdColumns);

            migrationBuilder.CreateIndex(
                name: "idx_topic",
                table: "sentiment_analysis",
                column: "topic");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "idx_original_text_trgm",
                table: "sentiment_analysis");

            migrationBuilder.DropIndex(
                name: "idx_processed_at",
                table: "sentiment_analysis");

            migrationBuilder.DropIndex(
                name: "idx_timestamp_id",
                table: "sentiment_analysis");

            migrationBuilder.DropIndex(
                name: "idx_topic",
                table: "sentiment_analysis");

            migrationBuilder.DropColumn(
                name: "acknowledged_at",
                table: "alerts");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");
        }
    }
}
