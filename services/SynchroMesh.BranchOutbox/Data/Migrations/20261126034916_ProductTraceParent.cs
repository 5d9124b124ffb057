using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SynchroMesh.BranchOutbox.Data.Migrations
{
    /// <inheritdoc />
    public partial class ProductTraceParent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // On the inheritance parent, which gives the column to branch.products and to the tombstones alike
            // (see SyncRows): the sync reads the parent. Only the branch API writes it; other writers leave it null.
            migrationBuilder.Sql("ALTER TABLE branch.sync_rows ADD COLUMN trace_parent text");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE branch.sync_rows DROP COLUMN trace_parent");
        }
    }
}
