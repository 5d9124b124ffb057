using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SynchroMesh.HeadOfficeIngest.Data.Migrations
{
    /// <inheritdoc />
    public partial class BranchHeartbeats : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "branch_heartbeats",
                schema: "head_office",
                columns: table => new
                {
                    branch_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    reported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    interval = table.Column<TimeSpan>(type: "interval", nullable: false),
                    not_sent = table.Column<long>(type: "bigint", nullable: false),
                    waiting_for_ack = table.Column<long>(type: "bigint", nullable: false),
                    oldest_unacked_change_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    newest_change_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_branch_heartbeats", x => x.branch_id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "branch_heartbeats",
                schema: "head_office");
        }
    }
}
