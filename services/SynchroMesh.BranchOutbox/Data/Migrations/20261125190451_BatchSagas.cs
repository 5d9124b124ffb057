using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SynchroMesh.BranchOutbox.Data.Migrations
{
    /// <inheritdoc />
    public partial class BatchSagas : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "product_sync_states",
                schema: "branch");

            migrationBuilder.AddColumn<Guid>(
                name: "batch_id",
                schema: "branch",
                table: "products",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "product_batches",
                schema: "branch",
                columns: table => new
                {
                    correlation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    current_state = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    branch_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    product_count = table.Column<int>(type: "integer", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ack_timeout_token_id = table.Column<Guid>(type: "uuid", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_product_batches", x => x.correlation_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_products_unacked_by_batch",
                schema: "branch",
                table: "products",
                column: "batch_id",
                filter: "acked_version < version");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "product_batches",
                schema: "branch");

            migrationBuilder.DropIndex(
                name: "ix_products_unacked_by_batch",
                schema: "branch",
                table: "products");

            migrationBuilder.DropColumn(
                name: "batch_id",
                schema: "branch",
                table: "products");

            migrationBuilder.CreateTable(
                name: "product_sync_states",
                schema: "branch",
                columns: table => new
                {
                    correlation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    ack_timeout_token_id = table.Column<Guid>(type: "uuid", nullable: true),
                    acked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    acked_version = table.Column<long>(type: "bigint", nullable: false),
                    branch_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    current_state = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    external_id = table.Column<long>(type: "bigint", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    sent_version = table.Column<long>(type: "bigint", nullable: false),
                    timeout_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_product_sync_states", x => x.correlation_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_product_sync_states_external_id",
                schema: "branch",
                table: "product_sync_states",
                column: "external_id");
        }
    }
}
