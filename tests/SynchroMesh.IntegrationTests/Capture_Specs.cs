namespace SynchroMesh.IntegrationTests;

/// <summary>What a till's own software does to the branch's table: plain SQL, no API.</summary>
internal static class TillSql
{
    public static async Task<(long Id, long Version)> InsertAsync(NpgsqlConnection connection, string product, int qty = 1, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO branch.products (date, product, region, qty, cost, tax)
            VALUES ('2026-11-26', @product, 'south', @qty, 3.5, 0.2)
            RETURNING id, version
            """, connection, transaction);
        command.Parameters.AddWithValue("product", product);
        command.Parameters.AddWithValue("qty", (long)qty);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public static async Task<long> ExecuteAsync(NpgsqlConnection connection, string sql, long id, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync();
    }
}

public sealed class When_another_program_writes_the_branch_table_with_plain_sql
{
    [Fact]
    public async Task Should_sync_its_inserts_updates_soft_and_hard_deletes_like_the_api_does()
    {
        await using var system = await SyncSystem.StartAsync(["till"]);
        var branch = system.Branch("till");
        await using var till = await branch.ConnectAsync();

        var kept = await TillSql.InsertAsync(till, "kept");
        var updated = await TillSql.InsertAsync(till, "updated");
        var softDeleted = await TillSql.InsertAsync(till, "soft-deleted");
        var hardDeleted = await TillSql.InsertAsync(till, "hard-deleted");
        var viaApi = await branch.CreateAsync(SaleInput.Example(product: "via the api"));
        Assert.True(viaApi.Version > hardDeleted.Version, "the API's change did not take the next version of the sequence");
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, await TillSql.ExecuteAsync(till, "UPDATE branch.products SET qty = 9 WHERE id = @id", updated.Id));
        Assert.Equal(1, await TillSql.ExecuteAsync(till, "UPDATE branch.products SET deleted_at = now() WHERE id = @id", softDeleted.Id));

        // The API's row keeps its request's trace context; a till's later change is not part of that request.
        var traceOf = $"SELECT coalesce(trace_parent, '') FROM branch.products WHERE id = {viaApi.Id}";
        Assert.NotEqual("", await branch.ScalarAsync<string>(traceOf));
        Assert.Equal(1, await TillSql.ExecuteAsync(till, "UPDATE branch.products SET qty = 3 WHERE id = @id", viaApi.Id));
        Assert.Equal("", await branch.ScalarAsync<string>(traceOf));
        Assert.Equal(1, await TillSql.ExecuteAsync(till, "DELETE FROM branch.products WHERE id = @id", hardDeleted.Id));
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));

        var held = (await system.HeadOffice.ListAsync(branch.Id)).ToDictionary(p => p.ExternalId);
        Assert.Equal(5, held.Count);
        Assert.Equal((kept.Version, false), (held[kept.Id].Version, held[kept.Id].IsDeleted));
        Assert.Equal(9u, held[updated.Id].Qty);
        Assert.True(held[updated.Id].Version > updated.Version);
        Assert.True(held[softDeleted.Id].IsDeleted);
        Assert.True(held[hardDeleted.Id].IsDeleted, "the hard delete did not reach the head office as a deletion");
        Assert.True(held[hardDeleted.Id].Version > hardDeleted.Version);
        Assert.Equal("hard-deleted", held[hardDeleted.Id].Product);
        Assert.Equal(0L, await branch.ScalarAsync<long>($"SELECT count(*) FROM branch.products WHERE id = {hardDeleted.Id}"));
        await system.EnsureInvariantsHoldAsync();

        // The bookkeeping is the sync's own: an insert that claims to be sent and acked is still sent.
        var claimed = await branch.ScalarAsync<long>("""
            INSERT INTO branch.products (date, product, region, qty, cost, tax, version, sent_version, acked_version)
            VALUES ('2026-11-26', 'claims acked', 'south', 1, 1, 0, 99, 99, 99) RETURNING id
            """);
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("claims acked", (await system.HeadOffice.GetAsync(branch.Id, claimed))?.Product);
    }

    [Fact]
    public async Task Should_ask_of_a_tills_role_no_more_than_reading_and_writing_the_products_table()
    {
        var role = $"sm_till_{Guid.NewGuid():N}"[..20];
        await using var dropRole = new RoleCleanup(role);
        await using var system = await SyncSystem.StartAsync(["role"]);
        var branch = system.Branch("role");
        var password = Guid.NewGuid().ToString("N");
        await using (var admin = await branch.ConnectAsync())
        await using (var grant = new NpgsqlCommand($"""
            CREATE ROLE {role} LOGIN PASSWORD '{password}';
            GRANT USAGE ON SCHEMA branch TO {role};
            GRANT SELECT, DELETE ON branch.products TO {role};
            GRANT INSERT, UPDATE (date, product, region, qty, cost, tax, created_at, updated_at, deleted_at) ON branch.products TO {role};
            """, admin))
        {
            await grant.ExecuteNonQueryAsync();
        }

        var asTill = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionStringFor(branch.Database)) { Username = role, Password = password, Pooling = false };
        await using var till = new NpgsqlConnection(asTill.ConnectionString);
        await till.OpenAsync();

        var sold = await TillSql.InsertAsync(till, "sold by the till");
        var gone = await TillSql.InsertAsync(till, "deleted by the till");
        Assert.Equal(1, await TillSql.ExecuteAsync(till, "UPDATE branch.products SET qty = 4 WHERE id = @id", sold.Id));
        Assert.Equal(1, await TillSql.ExecuteAsync(till, "DELETE FROM branch.products WHERE id = @id", gone.Id));
        foreach (var bookkeeping in new[] { "UPDATE branch.products SET acked_version = version", "UPDATE branch.sync_rows SET acked_version = version" })
        {
            await using var command = new NpgsqlCommand(bookkeeping, till);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }

        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(4u, (await system.HeadOffice.GetAsync(branch.Id, sold.Id))?.Qty);
        Assert.True((await system.HeadOffice.GetAsync(branch.Id, gone.Id))?.IsDeleted);
    }

    /// <summary>Drops the till's role once the system (and its database, which holds the role's grants) is gone.</summary>
    private sealed class RoleCleanup(string role) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using var connection = new NpgsqlConnection(TestDatabase.ServerConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS {role}", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task Should_refuse_rows_the_head_office_could_not_hold_a_truncate_that_would_hide_deletions_and_a_new_id()
    {
        await using var system = await SyncSystem.StartAsync(["strict"]);
        var branch = system.Branch("strict");
        await using var till = await branch.ConnectAsync();

        (string Values, string Constraint)[] wrong =
        [
            ("'2026-11-26', 'x', 'south', -1, 1, 0", "ck_products_qty"),
            ("'2026-11-26', 'x', 'south', 4294967296, 1, 0", "ck_products_qty"),
            ("'2026-11-26', 'x', 'south', 1, 'NaN', 0", "ck_products_cost"),
            ("'2026-11-26', 'x', 'south', 1, 1, 'NaN'", "ck_products_tax"),
            ("'2026-11-26', 'x', 'south', 1, 1, 'Infinity'", "ck_products_tax"),
            ("'2026-11-26', ' ', 'south', 1, 1, 0", "ck_products_product"),
            ("'1999-12-31', 'x', 'south', 1, 1, 0", "ck_products_date"),
        ];
        foreach (var (values, constraint) in wrong)
        {
            await using var insert = new NpgsqlCommand($"INSERT INTO branch.products (date, product, region, qty, cost, tax) VALUES ({values})", till);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync());
            Assert.Equal((PostgresErrorCodes.CheckViolation, constraint), (refused.SqlState, refused.ConstraintName));
        }

        await using var truncate = new NpgsqlCommand("TRUNCATE branch.products", till);
        var truncateRefused = await Assert.ThrowsAsync<PostgresException>(() => truncate.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.FeatureNotSupported, truncateRefused.SqlState);
        Assert.Contains("DELETE the rows instead", truncateRefused.MessageText);
        Assert.Equal(0L, await branch.ScalarAsync<long>("SELECT count(*) FROM branch.sync_rows"));

        // The head office knows a row by its id: changing it would leave the old one there for ever.
        var sale = await TillSql.InsertAsync(till, "renumbered");
        var renumber = await Assert.ThrowsAsync<PostgresException>(
            () => TillSql.ExecuteAsync(till, "UPDATE branch.products SET id = id + 1000 WHERE id = @id", sale.Id));
        Assert.Equal(PostgresErrorCodes.FeatureNotSupported, renumber.SqlState);
    }
}

public sealed class When_a_transaction_at_the_branch_stays_open_while_others_commit
{
    [Fact]
    public async Task Should_miss_none_of_its_changes_and_hold_up_none_of_the_others()
    {
        await using var system = await SyncSystem.StartAsync(["longtx"]);
        var branch = system.Branch("longtx");
        await using var till = await branch.ConnectAsync();
        await using var slowTill = await branch.ConnectAsync();

        var locked = await TillSql.InsertAsync(till, "locked by the slow till");
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));

        // While the branch's service is down, the row changes and waits to be sent, and a slow till's open transaction
        // changes it again and records a sale. No outbox runs between the first change's commit and the slow till taking
        // the row, so none can have sent that change before the row was held.
        await branch.Process.StopAsync();
        Assert.Equal(1, await TillSql.ExecuteAsync(till, "UPDATE branch.products SET qty = 2 WHERE id = @id", locked.Id));
        await using var open = await slowTill.BeginTransactionAsync();
        Assert.Equal(1, await TillSql.ExecuteAsync(slowTill, "UPDATE branch.products SET qty = 7 WHERE id = @id", locked.Id, open));
        var early = await TillSql.InsertAsync(slowTill, "committed late with an early version", transaction: open);

        // Changes made after it, with later versions, commit first and reach the head office while it stays open:
        // the outbox does not stall behind the slow till's lock.
        var late1 = await TillSql.InsertAsync(till, "committed first 1");
        var late2 = await TillSql.InsertAsync(till, "committed first 2");
        Assert.True(late1.Version > early.Version);
        await branch.Process.StartAndWaitUntilReadyAsync();
        var others = $"SELECT count(*) FROM branch.products WHERE id IN ({late1.Id}, {late2.Id}) AND acked_version = version";
        await Eventually.UntilAsync(async () => await branch.ScalarAsync<long>(others) == 2, TimeSpan.FromSeconds(90), "the changes committed after the open transaction's are acked while it stays open", branch.DescribeSyncAsync);
        Assert.NotNull(await system.HeadOffice.GetAsync(branch.Id, late2.Id));
        Assert.Null(await system.HeadOffice.GetAsync(branch.Id, early.Id));

        // The row the slow till holds is passed over, not sent on every pass: its committed change (qty 2), which the
        // open transaction changes again, has not gone out.
        Assert.Equal(1u, (await system.HeadOffice.GetAsync(branch.Id, locked.Id))?.Qty);

        // Committed at last, with versions lower than changes already acked: nothing of it is skipped.
        await open.CommitAsync();
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(90));
        var atHeadOffice = await system.HeadOffice.GetAsync(branch.Id, early.Id);
        Assert.Equal((early.Version, "committed late with an early version"), (atHeadOffice?.Version, atHeadOffice?.Product));
        Assert.Equal(7u, (await system.HeadOffice.GetAsync(branch.Id, locked.Id))?.Qty);
        await system.EnsureInvariantsHoldAsync();
    }
}

public sealed class When_only_the_database_can_tell_the_outbox_of_a_change
{
    [Fact]
    public async Task Should_send_it_on_the_database_notification_long_before_the_next_poll()
    {
        await using var system = await LongPoll.StartAsync("notified");
        var branch = system.Branch("notified");
        await using var till = await branch.ConnectAsync();
        await LongPoll.EachReachesTheHeadOfficeAsync(system, branch, async n => (await TillSql.InsertAsync(till, $"noticed {n}")).Id);
    }
}

/// <summary>
/// The branch service's sessions do not notify the capture channel (see <c>SyncLedger.WakesOutboxSetting</c>), which
/// would make its commits wait for each other: the API wakes the outbox itself.
/// </summary>
public sealed class When_the_branch_api_takes_a_sale
{
    [Fact]
    public async Task Should_wake_the_outbox_itself_long_before_the_next_poll_and_not_notify()
    {
        await using var system = await LongPoll.StartAsync("woken");
        var branch = system.Branch("woken");
        await using var listener = await ChangeNotifications.ListenAsync(await branch.ConnectAsync());
        await LongPoll.EachReachesTheHeadOfficeAsync(system, branch, async n => (await branch.CreateAsync(SaleInput.Example(product: $"woken {n}"))).Id);

        // Committed after the API's sales: had any of those notified, its notification would come first.
        await using var till = await branch.ConnectAsync();
        await TillSql.InsertAsync(till, "by a till's own software");
        Assert.Equal([till.ProcessID], await listener.NotifiersAsync());
    }
}

/// <summary>
/// A branch whose outbox polls every ten minutes: a sale that reaches the head office within seconds was sent because
/// something woke the outbox, not because it polled.
/// </summary>
internal static class LongPoll
{
    public static Task<SyncSystem> StartAsync(string branch) =>
        SyncSystem.StartAsync([branch], branchSettings: new Dictionary<string, string> { ["Sync__PollInterval"] = "00:10:00" });

    public static async Task EachReachesTheHeadOfficeAsync(SyncSystem system, BranchOffice branch, Func<int, Task<long>> sell)
    {
        foreach (var n in Enumerable.Range(1, 3))
        {
            var id = await sell(n);
            await Eventually.UntilAsync(async () => await system.HeadOffice.GetAsync(branch.Id, id) is not null, TimeSpan.FromSeconds(15),
                $"sale {n} reaches the head office within 15 s with the outbox polling every 10 minutes", branch.DescribeSyncAsync);
        }
    }
}
