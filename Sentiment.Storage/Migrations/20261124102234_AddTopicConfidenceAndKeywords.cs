using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sentiment.Storage.Migrations
{
    /// <inheritdoc />
    public partial class AddTopicConfidenceAndKeywords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string[]>(
                name: "keywords",
                table: "sentiment_analysis",
                type: "text[]",
                nullable: true);

            migrationBuilder.AddColumn<float>(
                name: "topic_confidence",
                table: "sentiment_analysis",
                type: "real",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "keywords",
                table: "sentiment_analysis");

            migrationBuilder.DropColumn(
                name: "topic_confidence",
                table: "sentiment_analysis");
        }
    }
}
