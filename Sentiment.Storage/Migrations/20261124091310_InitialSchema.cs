using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Sentiment.Storage.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "sentiment_analysis",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.SerialColumn),
                    message_id = table.Column<string>(type: "varchar(255)", nullable: true),
                    timestamp = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    source = table.Column<string>(type: "varchar(50)", nullable: true),
                    original_text = table.Column<string>(type: "text", nullable: true),
                    sentiment_label = table.Column<string>(type: "varchar(20)", nullable: true),
                    sentiment_score = table.Column<double>(type: "double precision", nullable: true),
                    confidence = table.Column<double>(type: "double precision", nullable: true),
                    topic = table.Column<string>(type: "varchar(100)", nullable: true),
                    metadata = table.Column<string>(type: "jsonb", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true, defaultValueSql: "NOW()"),
                    model_version = table.Column<string>(type: "varchar(100)", nullable: true),
                    stream_id = table.Column<string>(type: "varchar(64)", nullable: true),
                    ingested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("sentiment_analysis_pkey", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "idx_sentiment",
                table: "sentiment_analysis",
                column: "sentiment_label");

            migrationBuilder.CreateIndex(
                name: "idx_source",
                table: "sentiment_analysis",
                column: "source");

            migrationBuilder.CreateIndex(
                name: "idx_timestamp",
                table: "sentiment_analysis",
                column: "timestamp");

            migrationBuilder.CreateIndex(
                name: "sentiment_analysis_message_id_key",
                table: "sentiment_analysis",
                column: "message_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sentiment_analysis");
        }
    }
}
