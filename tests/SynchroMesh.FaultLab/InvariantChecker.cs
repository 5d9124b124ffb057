namespace SynchroMesh.FaultLab;

/// <summary>
/// Compares a branch's rows (live, and the tombstones of hard-deleted ones: the latest version of each id) with the
/// head office's rows for that branch, field by field.
/// </summary>
public static class InvariantChecker
{
    private const string RowColumns =
        "version, date, product, region, qty, cost, tax, created_at, updated_at, deleted_at";

    public static Task<InvariantReport> CheckAsync(string branchId, string branchDatabase, string headOfficeDatabase) =>
        CheckAtAsync(branchId, TestDatabase.ConnectionStringFor(branchDatabase), TestDatabase.ConnectionStringFor(headOfficeDatabase));

    /// <summary>The same, for databases anywhere: on other servers, or in containers.</summary>
    public static async Task<InvariantReport> CheckAtAsync(string branchId, string branchConnectionString, string headOfficeConnectionString)
    {
        var atBranch = await ReadAsync(branchConnectionString, $"SELECT DISTINCT ON (id) id, {RowColumns} FROM branch.sync_rows ORDER BY id, version DESC", null);
        var atHeadOffice = await ReadAsync(headOfficeConnectionString,
            $"SELECT external_id, {RowColumns} FROM head_office.products WHERE branch_id = @branch", branchId);

        var heldKeys = atHeadOffice.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.ToList());
        var lost = atBranch.Count(r => !heldKeys.ContainsKey(r.Key));
        var duplicated = heldKeys.Values.Count(g => g.Count > 1);
        var stale = atBranch.Count(r => heldKeys.TryGetValue(r.Key, out var held) && held.Any(h => !h.Values.SequenceEqual(r.Values)));
        var branchKeys = atBranch.Select(r => r.Key).ToHashSet();
        var extra = heldKeys.Keys.Count(k => !branchKeys.Contains(k));

        await using var connection = new NpgsqlConnection(branchConnectionString);
        await connection.OpenAsync();
        var unacked = await CountAsync(connection, "SELECT count(*) FROM branch.sync_rows WHERE acked_version < version");
        // Stuck: sent, not acked, and no batch of its waiting for an ack with its timeout scheduled in Quartz. Until the
        // branch's scheduler has started for the first time, its tables do not exist and no timeout is scheduled.
        var stuck = await CountAsync(connection, "SELECT to_regclass('public.qrtz_triggers') IS NULL") == 1
            ? await CountAsync(connection, "SELECT count(*) FROM branch.sync_rows WHERE acked_version < version AND sent_version >= version")
            : await CountAsync(connection, """
                SELECT count(*) FROM branch.sync_rows p
                WHERE p.acked_version < p.version AND p.sent_version >= p.version
                  AND NOT EXISTS (
                      SELECT 1 FROM branch.product_batches b
                      JOIN public.qrtz_triggers t ON t.trigger_name = replace(b.ack_timeout_token_id::text, '-', '')
                      WHERE b.correlation_id = p.batch_id AND b.current_state = 'WaitingForAck')
                """);

        return new InvariantReport(branchId, atBranch.Count, atHeadOffice.Count, lost, duplicated, stale, extra, unacked, stuck);
    }

    private static async Task<int> CountAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }

    private static async Task<List<(long Key, object[] Values)>> ReadAsync(string connectionString, string sql, string? branchId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (branchId is not null)
        {
            command.Parameters.AddWithValue("branch", branchId);
        }

        var rows = new List<(long, object[])>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var values = new object[reader.FieldCount - 1];
            for (var i = 1; i < reader.FieldCount; i++)
            {
                values[i - 1] = reader.GetValue(i);
            }

            rows.Add((reader.GetInt64(0), values));
        }

        return rows;
    }
}
