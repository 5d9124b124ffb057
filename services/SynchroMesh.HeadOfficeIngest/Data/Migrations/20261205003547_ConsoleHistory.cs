using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SynchroMesh.HeadOfficeIngest.Data.Migrations
{
    /// <inheritdoc />
    public partial class ConsoleHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "online_since",
                schema: "head_office",
                table: "branch_heartbeats",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            // A branch heard before this column existed has been online, as far as the head office knows, since its last heartbeat.
            migrationBuilder.Sql("UPDATE head_office.branch_heartbeats SET online_since = received_at;");

            migrationBuilder.CreateTable(
                name: "branch_heartbeat_history",
                schema: "head_office",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    branch_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    backlog = table.Column<long>(type: "bigint", nullable: false),
                    lag_seconds = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_branch_heartbeat_history", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_branch_heartbeat_history_branch_id_received_at",
                schema: "head_office",
                table: "branch_heartbeat_history",
                columns: new[] { "branch_id", "received_at" });

            migrationBuilder.CreateIndex(
                name: "ix_branch_heartbeat_history_received_at",
                schema: "head_office",
                table: "branch_heartbeat_history",
                column: "received_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "branch_heartbeat_history",
                schema: "head_office");

            migrationBuilder.DropColumn(
                name: "online_since",
                schema: "head_office",
                table: "branch_heartbeats");
        }
    }
}
