using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SynchroMesh.BranchOutbox.Data.Migrations
{
    /// <summary>
    /// The capture triggers as <see cref="CaptureSql"/> writes them, for the sale's data columns as they are at this
    /// migration (listed here, so that it does the same whatever the entity becomes). They do what the triggers they
    /// replace did: Down has nothing to undo. No model change: no designer file.
    /// </summary>
    [DbContext(typeof(BranchDbContext))]
    [Migration("20261204160000_CaptureTriggersFromOneColumnList")]
    public partial class CaptureTriggersFromOneColumnList : Migration
    {
        private static readonly string[] SaleColumns =
            ["date", "product", "region", "qty", "cost", "tax", "created_at", "updated_at", "deleted_at"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql(CaptureSql.Triggers(SaleColumns));

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
