using Microsoft.EntityFrameworkCore;
using Npgsql;
using SynchroMesh.BranchOutbox.Data;
using SynchroMesh.ServiceDefaults.Data;

namespace SynchroMesh.IntegrationTests;

/// <summary>
/// The capture triggers are written once (<see cref="CaptureSql"/>) for the sale's data columns. A column added to the
/// entity without a migration that makes the triggers again for it would never be versioned, tombstoned or compared:
/// its changes would not reach the head office. This spec names the difference instead.
/// </summary>
public sealed class When_the_branch_database_is_migrated
{
    [Fact]
    public async Task Should_hold_the_capture_triggers_made_for_the_sale_columns_of_the_entity()
    {
        await using var database = await TestDatabase.CreateAsync("sm_capture");
        await using (var context = new BranchDbContext(new DbContextOptionsBuilder<BranchDbContext>()
                         .UseServiceDatabase(database.ConnectionString).Options))
        {
            await context.Database.MigrateAsync();
            var saleColumns = CaptureSql.SaleColumnsOf(context.Model);
            Assert.Contains("qty", saleColumns);
            Assert.DoesNotContain("version", saleColumns);

            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            foreach (var function in CaptureSql.Functions)
            {
                await using var body = new NpgsqlCommand(
                    "SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'branch' AND p.proname = @name",
                    connection) { Parameters = { new("name", function) } };
                Assert.True(CaptureSql.Body(function, saleColumns) == (string?)await body.ExecuteScalarAsync(),
                    $"branch.{function}() is not the one CaptureSql makes for the columns {string.Join(", ", saleColumns)}: add a migration that runs CaptureSql.Triggers for them");
            }

            await using var trigger = new NpgsqlCommand(
                "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t WHERE t.tgname = 'version_product_update' AND t.tgrelid = 'branch.products'::regclass",
                connection);
            var definition = (string)(await trigger.ExecuteScalarAsync())!;
            Assert.All(saleColumns, column => Assert.Contains($"new.{column}", definition, StringComparison.OrdinalIgnoreCase));
            Assert.All(saleColumns, column => Assert.Contains($"old.{column}", definition, StringComparison.OrdinalIgnoreCase));
        }
    }
}
