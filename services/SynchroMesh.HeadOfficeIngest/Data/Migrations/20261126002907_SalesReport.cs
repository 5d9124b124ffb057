using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SynchroMesh.HeadOfficeIngest.Data.Migrations
{
    /// <inheritdoc />
    public partial class SalesReport : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "reports");

            migrationBuilder.CreateTable(
                name: "sales_lines",
                schema: "reports",
                columns: table => new
                {
                    branch_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    external_id = table.Column<long>(type: "bigint", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    product = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    region = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    qty = table.Column<long>(type: "bigint", nullable: false),
                    cost = table.Column<decimal>(type: "numeric(19,4)", precision: 19, scale: 4, nullable: false),
                    tax = table.Column<float>(type: "real", nullable: false),
                    is_deleted = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sales_lines", x => new { x.branch_id, x.external_id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_sales_lines_live_by_date",
                schema: "reports",
                table: "sales_lines",
                column: "date",
                filter: "NOT is_deleted");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sales_lines",
                schema: "reports");
        }
    }
}
