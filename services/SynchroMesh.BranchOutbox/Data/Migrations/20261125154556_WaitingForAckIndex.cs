using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SynchroMesh.BranchOutbox.Data.Migrations
{
    /// <inheritdoc />
    public partial class WaitingForAckIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_products_waiting_for_ack",
                schema: "branch",
                table: "products",
                column: "sent_at",
                filter: "acked_version < version");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_products_waiting_for_ack",
                schema: "branch",
                table: "products");
        }
    }
}
