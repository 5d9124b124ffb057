namespace SynchroMesh.FaultLab;

/// <summary>A running BranchOutbox with its own database, and what a test does with it.</summary>
public sealed class BranchOffice(string id, string database, ServiceProcess process, LinkProxy? link = null) : IBranchSales
{
    /// <summary>The branch's simulated link to the broker, when the system was started behind links.</summary>
    public LinkProxy Link => link ?? throw new InvalidOperationException($"branch {Id} was not started behind a link");

    public string Id { get; } = id;
    public string Database { get; } = database;
    public ServiceProcess Process { get; } = process;

    public BranchApi Api => new(Id, Process.Http);

    public Task<BranchProductView> CreateAsync(SaleInput sale) => Api.CreateAsync(sale);
    public Task<BranchProductView> UpdateAsync(long id, SaleInput sale) => Api.UpdateAsync(id, sale);
    public Task DeleteAsync(long id) => Api.DeleteAsync(id);
    public Task<BranchProductView> GetAsync(long id) => Api.GetAsync(id);
    public Task<SyncStatusView> StatusAsync() => Api.StatusAsync();

    /// <summary>Waits until every row's current version is acked by the head office; throws when it does not happen.</summary>
    public async Task WaitUntilAllAckedAsync(TimeSpan timeout)
    {
        await Eventually.UntilAsync(async () => await CountNotAckedAsync() == 0, timeout, $"branch {Id} has every row acked",
            async () => $"{await CountNotAckedAsync()} rows not acked; {await DescribeSyncAsync()}; whole log: {Process.LogFile}\n{Process.RecentLog}");
    }

    /// <summary>Where the unacked rows are, what the sagas hold and what /health/ready says: for a failing test's message.</summary>
    public async Task<string> DescribeSyncAsync()
    {
        var rows = await ScalarAsync<string>("""
            SELECT format('not sent %s, sent and waiting %s',
                count(*) FILTER (WHERE sent_version < version),
                count(*) FILTER (WHERE sent_version >= version AND acked_version < version))
            FROM branch.sync_rows
            """);
        var sagas = await ScalarAsync<string>(
            "SELECT coalesce(string_agg(current_state || ' ' || n, ', '), 'none') FROM " +
            "(SELECT current_state, count(*) AS n FROM branch.product_batches GROUP BY current_state) s");
        string health;
        try
        {
            using var response = await Process.Http.GetAsync(ServiceHealth.ReadyPath);
            health = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
        }
        catch (HttpRequestException ex)
        {
            health = ex.Message;
        }

        return $"rows: {rows}; sagas: {sagas}; ready: {health}";
    }

    public async Task<long> CountNotAckedAsync() =>
        await ScalarAsync<long>("SELECT count(*) FROM branch.sync_rows WHERE acked_version < version");

    public Task<T> ScalarAsync<T>(string sql) => TestDatabase.ScalarAsync<T>(Database, sql);

    /// <summary>A connection to the branch's database, as another program writing its table would hold one.</summary>
    public Task<NpgsqlConnection> ConnectAsync() => TestDatabase.OpenAsync(Database);

    /// <summary>
    /// Records <paramref name="count"/> sales straight into the branch's table, as a till's own software would: a large
    /// backlog in a second, where the API would take minutes.
    /// </summary>
    public Task RecordBacklogAsync(int count) =>
        TestDatabase.ExecuteAsync(Database, """
            INSERT INTO branch.products (date, product, region, qty, cost, tax)
            SELECT DATE '2026-11-01' + g % 25, 'backlog-' || g, 'north', 1 + g % 9, 1.25 + g % 40 * 0.5, 0.2
            FROM generate_series(1, @count) AS g
            """, ("count", count));

    /// <summary>
    /// The backlog the fault specs drain: <paramref name="writes"/> of the tills' mix of changes through the API, then
    /// 30,000 sales recorded straight into the table.
    /// </summary>
    public async Task BuildBacklogAsync(int seed, int writes)
    {
        await new SalesWorkload(this, seed).WriteAsync(writes);
        await RecordBacklogAsync(30_000);
    }

    /// <summary>Waits until the head office has acked at least <paramref name="rows"/> rows, each at some version.</summary>
    public Task UntilAckedAsync(long rows, TimeSpan timeout, string what) =>
        Eventually.UntilAsync(async () => await ScalarAsync<long>("SELECT count(*) FROM branch.products WHERE acked_version > 0") >= rows, timeout, what);

    /// <summary>Removes what the branch left behind once its process is stopped: its link and its database.</summary>
    public async Task DropAsync()
    {
        if (link is not null)
        {
            await link.DisposeAsync();
        }

        await TestDatabase.DropAsync(Database);
    }
}
