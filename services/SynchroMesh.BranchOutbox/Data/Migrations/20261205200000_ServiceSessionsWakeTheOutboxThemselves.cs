using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SynchroMesh.BranchOutbox.Data.Migrations
{
    /// <summary>
    /// The capture triggers as <see cref="CaptureSql"/> writes them, for the sale's data columns as they are at this
    /// migration: a change made in a session that wakes the outbox itself (the branch service's own) no longer notifies.
    /// Down has nothing to undo: a session without that setting, as every session of an earlier service is, notifies
    /// for every change as before. No model change: no designer file.
    /// </summary>
    [DbContext(typeof(BranchDbContext))]
    [Migration("20261205200000_ServiceSessionsWakeTheOutboxThemselves")]
    public partial class ServiceSessionsWakeTheOutboxThemselves : Migration
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
