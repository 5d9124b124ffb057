using System.Data;

namespace SynchroMesh.IntegrationTests;

public sealed class When_a_hard_deleted_id_is_inserted_again_while_its_delete_still_runs
{
    [Theory]
    [InlineData(IsolationLevel.ReadCommitted)]
    [InlineData(IsolationLevel.RepeatableRead)]
    [InlineData(IsolationLevel.Serializable)]
    public async Task Should_keep_the_row_at_the_head_office_not_its_deletion(IsolationLevel isolation)
    {
        await using var system = await SyncSystem.StartAsync(["reinsert"]);
        var branch = system.Branch("reinsert");
        await using var deleting = await branch.ConnectAsync();
        await using var inserting = await branch.ConnectAsync();
        await using var holding = await branch.ConnectAsync();

        var first = await TillSql.InsertAsync(deleting, "deleted, then inserted again");
        var second = await TillSql.InsertAsync(deleting, "deleted with it");
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));

        // The sync's own updates move a row's newest version about the table; here the first row's goes after the
        // second's, as it often does.
        await TillSql.ExecuteAsync(deleting, "UPDATE branch.products SET sent_at = now() WHERE id = @id", first.Id);

        // One DELETE of both rows: it deletes the first, then waits for the second, which another till holds. Its
        // AFTER trigger, which numbers the tombstones, runs only when the whole statement is done. (By a plain scan of
        // the primary key, which walks the ids in order, so the first row is deleted first; a bitmap scan would visit
        // the rows in their physical order.)
        await TillSql.ExecuteAsync(deleting, "SET enable_seqscan = off", 0);
        await TillSql.ExecuteAsync(deleting, "SET enable_bitmapscan = off", 0);
        await using var held = await holding.BeginTransactionAsync();
        await TillSql.ExecuteAsync(holding, "UPDATE branch.products SET qty = 3 WHERE id = @id", second.Id, held);
        await using var deletion = await deleting.BeginTransactionAsync();
        var delete = Task.Run(async () =>
        {
            await using var command = new NpgsqlCommand("DELETE FROM branch.products WHERE id = ANY(@ids)", deleting, deletion);
            command.Parameters.AddWithValue("ids", new[] { first.Id, second.Id });
            return await command.ExecuteNonQueryAsync();
        });
        // Waiting on the till that holds the second row, not on a lock the branch's own bookkeeping takes a moment.
        await WaitUntilBlockedByAsync(branch, deleting, holding, "the DELETE waits for the till that holds the second row", () => delete);

        // The first id is inserted again meanwhile: it takes its version (and, above READ COMMITTED, its transaction's
        // snapshot) now, then waits for the delete to commit. A till at those levels retries a serialization failure,
        // as PostgreSQL asks of every program that uses them.
        var attempts = 0;
        var reinsert = Task.Run(async () =>
        {
            while (true)
            {
                attempts++;
                await using var transaction = await inserting.BeginTransactionAsync(isolation);
                try
                {
                    await using var command = new NpgsqlCommand("""
                        INSERT INTO branch.products (id, date, product, region, qty, cost, tax)
                        VALUES (@id, '2026-11-27', 'inserted again', 'south', 5, 4.5, 0.2)
                        """, inserting, transaction);
                    command.Parameters.AddWithValue("id", first.Id);
                    var inserted = await command.ExecuteNonQueryAsync();
                    await transaction.CommitAsync();
                    return inserted;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.SerializationFailure && attempts < 5)
                {
                    await transaction.RollbackAsync();
                }
            }
        });
        await WaitUntilBlockedByAsync(branch, inserting, deleting, "the INSERT waits for the DELETE", () => reinsert);

        await held.RollbackAsync();
        Assert.Equal(2, await delete);
        await deletion.CommitAsync();
        Assert.Equal(1, await reinsert);

        var versions = await branch.ScalarAsync<string>(
            $"SELECT string_agg(tableoid::regclass || ' ' || version, ', ' ORDER BY version) FROM branch.sync_rows WHERE id = {first.Id}");
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));
        var atHeadOffice = await system.HeadOffice.GetAsync(branch.Id, first.Id);
        Assert.True(atHeadOffice is { IsDeleted: false, Product: "inserted again" },
            $"the head office holds {atHeadOffice}; at the branch: {versions}; inserted in {attempts} attempt(s) at {isolation}");
        Assert.True((await system.HeadOffice.GetAsync(branch.Id, second.Id))?.IsDeleted);
        await system.EnsureInvariantsHoldAsync();
    }

    /// <summary>Waits until <paramref name="waiter"/>'s statement is blocked by <paramref name="blocker"/>'s transaction.</summary>
    private static async Task WaitUntilBlockedByAsync(
        BranchOffice branch, NpgsqlConnection waiter, NpgsqlConnection blocker, string what, Func<Task> statement)
    {
        var (waiting, holding) = (waiter.ProcessID, blocker.ProcessID);
        await Eventually.UntilAsync(
            async () => await branch.ScalarAsync<bool>($"SELECT {holding} = ANY(pg_blocking_pids({waiting}))"),
            TimeSpan.FromSeconds(10), $"{what} (backend {waiting} blocked by {holding})",
            async () => $"the statement is {statement().Status}{(statement().Exception is { } e ? $": {e.InnerException?.Message}" : "")}; " +
                        $"backend {waiting} is blocked by [{await branch.ScalarAsync<string>($"SELECT array_to_string(pg_blocking_pids({waiting}), ',')")}]");
    }
}
