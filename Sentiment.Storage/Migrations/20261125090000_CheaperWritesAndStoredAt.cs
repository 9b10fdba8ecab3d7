using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sentiment.Storage.Migrations
{
    /// <inheritdoc />
    public partial class CheaperWritesAndStoredAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Added without a default, then given one: a volatile default in ADD COLUMN would rewrite the whole table
            // to fill in every old row. Old rows keep null (readers fall back to processed_at).
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "stored_at",
                table: "sentiment_analysis",
                type: "timestamp with time zone",
                nullable: true);
            migrationBuilder.Sql("ALTER TABLE sentiment_analysis ALTER COLUMN stored_at SET DEFAULT clock_timestamp()");

            // A storage parameter, set in place: EF Core would drop and rebuild the index (minutes on a large table).
            migrationBuilder.Sql("ALTER INDEX idx_original_text_trgm SET (gin_pending_list_limit = 32768)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER INDEX idx_original_text_trgm RESET (gin_pending_list_limit)");

            migrationBuilder.DropColumn(
                name: "stored_at",
                table: "sentiment_analysis");
        }
    }
}
