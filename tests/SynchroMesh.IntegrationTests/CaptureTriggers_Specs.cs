using Microsoft.EntityFrameworkCore;
using SynchroMesh.BranchOutbox.Data;
using SynchroMesh.BranchOutbox.Sync;
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
        await using var database = await BranchSchema.MigratedAsync();
        await using (var context = BranchSchema.Context(database))
        {
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

/// <summary>
/// The branch service wakes its outbox itself after each commit, so its own sessions' changes are not notified: every
/// notifying commit in a PostgreSQL cluster waits for the one before it. Any other writer's changes still notify.
/// </summary>
public sealed class When_the_branch_service_and_a_till_write_sales
{
    [Fact]
    public async Task Should_notify_the_outbox_of_the_till_s_sale_only()
    {
        await using var database = await BranchSchema.MigratedAsync();
        await using var listener = await ChangeNotifications.ListenAsync(new NpgsqlConnection(database.ConnectionString));
        await using var service = new NpgsqlConnection(DatabaseExtensions.WithServiceDefaults(database.ConnectionString, SyncLedger.WakesOutboxOptions));
        await service.OpenAsync();
        await using var till = new NpgsqlConnection(database.ConnectionString);
        await till.OpenAsync();

        await TillSql.InsertAsync(service, "by the branch service");
        await TillSql.InsertAsync(till, "by a till's own software");

        Assert.Equal([till.ProcessID], await listener.NotifiersAsync());
    }
}

/// <summary>Who notified the capture channel of a branch database, in commit order.</summary>
internal sealed class ChangeNotifications : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly List<int> _notifiers = [];

    private ChangeNotifications(NpgsqlConnection connection)
    {
        _connection = connection;
        _connection.Notification += (_, e) => _notifiers.Add(e.PID);
    }

    /// <summary>Listens on <paramref name="connection"/>, opening it when it is not open yet.</summary>
    public static async Task<ChangeNotifications> ListenAsync(NpgsqlConnection connection)
    {
        var notifications = new ChangeNotifications(connection);
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync();
        }

        await using var listen = new NpgsqlCommand($"LISTEN {SyncLedger.ChangeChannel}", connection);
        await listen.ExecuteNonQueryAsync();
        return notifications;
    }

    /// <summary>
    /// Waits for the first notification and returns the server process of each one received so far. Notifications
    /// arrive in the order of their commits, so a writer that notified before another comes first.
    /// </summary>
    public async Task<IReadOnlyList<int>> NotifiersAsync()
    {
        await Eventually.UntilAsync(async () =>
        {
            await _connection.WaitAsync(100);
            return _notifiers.Count > 0;
        }, TimeSpan.FromSeconds(10), "a change is notified");
        return _notifiers;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}

/// <summary>A branch database of its own for a spec, as the branch service's migrations make it.</summary>
internal static class BranchSchema
{
    public static async Task<TestDatabase> MigratedAsync()
    {
        var database = await TestDatabase.CreateAsync("sm_capture");
        try
        {
            await using var context = Context(database);
            await context.Database.MigrateAsync();
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public static BranchDbContext Context(TestDatabase database) =>
        new(new DbContextOptionsBuilder<BranchDbContext>().UseServiceDatabase(database.ConnectionString).Options);
}
