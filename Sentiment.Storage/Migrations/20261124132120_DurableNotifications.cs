using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sentiment.Storage.Migrations
{
    /// <inheritdoc />
    public partial class DurableNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "published_at",
                table: "alerts",
                type: "timestamp with time zone",
                nullable: true);

            // Alerts stored before this migration were published by the code that stored them (all but the rare
            // one whose worker died in between); without this the outbox sweep would publish every one again.
            migrationBuilder.Sql("UPDATE alerts SET published_at = created_at");

            migrationBuilder.CreateTable(
                name: "notification_deliveries",
                columns: table => new
                {
                    alert_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "varchar(20)", nullable: false),
                    outcome = table.Column<string>(type: "varchar(20)", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("notification_deliveries_pkey", x => new { x.alert_id, x.channel });
                    table.ForeignKey(
                        name: "fk_notification_deliveries_alert",
                        column: x => x.alert_id,
                        principalTable: "alerts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "idx_alerts_unpublished",
                table: "alerts",
                column: "created_at",
                filter: "published_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "notification_deliveries");

            migrationBuilder.DropIndex(
                name: "idx_alerts_unpublished",
                table: "alerts");

            migrationBuilder.DropColumn(
                name: "published_at",
                table: "alerts");
        }
    }
}
