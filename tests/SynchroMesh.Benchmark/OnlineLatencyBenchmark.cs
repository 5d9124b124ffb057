using System.Diagnostics;

namespace SynchroMesh.Benchmark;

/// <summary>
/// Links up, tills selling at a steady rate through the branch API: how long from a row's commit at its branch to
/// its commit at the head office (the branch's <c>updated_at</c> against the head office's <c>received_at</c>).
/// </summary>
public sealed class OnlineLatencyBenchmark(BenchmarkSettings settings, int rowsPerSecond, SyncSystem system, TextWriter log)
{
    /// <summary>
    /// Written at the same rate before the measured part and left out of it: the branch API has not served a request
    /// before this phase (the backlog is written into the tables), and its first seconds (code compiled, pools filled)
    /// are not what a till sees in a day of trading.
    /// </summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(10);

    public async Task<LatencyResult> RunAsync()
    {
        var branches = system.Branches.ToList();
        log.WriteLine($"online: warming up the branch APIs, {rowsPerSecond} rows/s for {WarmUp.TotalSeconds} s");
        await WriteAtRateAsync(branches, WarmUp);
        foreach (var branch in branches)
        {
            await branch.WaitUntilAllAckedAsync(TimeSpan.FromMinutes(5));
        }

        var firstNewId = new Dictionary<string, long>();
        foreach (var branch in branches)
        {
            firstNewId[branch.Id] = await branch.ScalarAsync<long>("SELECT coalesce(max(id), 0) + 1 FROM branch.products");
        }

        log.WriteLine($"online: {rowsPerSecond} rows/s across {branches.Count} branches for {settings.OnlineSeconds} s, " +
            $"{settings.TillsPerBranch} tills a branch, written " +
            $"{(settings.OnlineThroughSql ? "by plain SQL (the outbox woken by the database's notification)" : "through the branch API")}");
        _taken = 0;
        _refused = 0;
        _noTill = 0;
        var elapsed = await WriteAtRateAsync(branches, TimeSpan.FromSeconds(settings.OnlineSeconds));
        var achieved = _taken / elapsed.TotalSeconds;
        foreach (var branch in branches)
        {
            await branch.WaitUntilAllAckedAsync(TimeSpan.FromMinutes(5));
        }

        foreach (var till in _sqlTills.Values)
        {
            await till.DisposeAsync();
        }

        var latencies = new List<double>();
        var untilSent = new List<double>();
        foreach (var branch in branches)
        {
            var (total, outbox) = await LatenciesAsync(branch, firstNewId[branch.Id]);
            latencies.AddRange(total);
            untilSent.AddRange(outbox);
        }

        latencies.Sort();
        untilSent.Sort();
        return new LatencyResult(rowsPerSecond, latencies.Count, _refused, achieved, Percentile(latencies, 50), Percentile(latencies, 95), Percentile(latencies, 99),
            Percentile(untilSent, 50), Percentile(untilSent, 99)) { NoTill = _noTill, SortedMilliseconds = latencies };
    }

    /// <summary>
    /// How long a due sale waits for a free till before it is counted as not taken. A sale is due at its time whether
    /// or not the branch has answered the earlier ones (the rate is the shop's, not the server's), so the wait bounds
    /// the sales in flight to about a second's worth plus the tills, however far the branch API falls behind.
    /// </summary>
    private static readonly TimeSpan QueueAtTill = TimeSpan.FromSeconds(1);

    private int _taken;
    private int _refused;
    private int _noTill;

    /// <summary>Sales through the branch APIs, round robin, at the configured rate for the given time.</summary>
    private async Task<TimeSpan> WriteAtRateAsync(IReadOnlyList<BranchOffice> branches, TimeSpan duration)
    {
        var tills = branches.ToDictionary(b => b.Id, _ => new SemaphoreSlim(settings.TillsPerBranch));
        var sales = new List<Task>();
        var clock = Stopwatch.StartNew();
        // Paced by the clock, not by timer ticks (which slip on a busy machine): each tick issues what is due.
        using (var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(20)))
        {
            while (clock.Elapsed < duration && await pace.WaitForNextTickAsync())
            {
                var due = (int)(Math.Min(clock.Elapsed.TotalSeconds, duration.TotalSeconds) * rowsPerSecond);
                while (sales.Count < due)
                {
                    var branch = branches[sales.Count % branches.Count];
                    sales.Add(Task.Run(() => SellAsync(branch, tills[branch.Id])));
                }
            }
        }

        await Task.WhenAll(sales);
        foreach (var till in tills.Values)
        {
            till.Dispose();
        }

        return clock.Elapsed;
    }

    /// <summary>One due sale: it waits for a free till, at most <see cref="QueueAtTill"/>, and is then written.</summary>
    private async Task SellAsync(BranchOffice branch, SemaphoreSlim tills)
    {
        if (!await tills.WaitAsync(QueueAtTill))
        {
            Interlocked.Increment(ref _noTill);
            return;
        }

        try
        {
            if (await WriteAsync(branch))
            {
                Interlocked.Increment(ref _taken);
            }
            else
            {
                Interlocked.Increment(ref _refused);
            }
        }
        finally
        {
            tills.Release();
        }
    }

    private readonly Dictionary<string, NpgsqlDataSource> _sqlTills = [];

    /// <summary>
    /// One till's sale, through the branch API or, with <c>--online-writer sql</c>, as a plain INSERT into the branch's
    /// table. False when the branch API refused it (a branch too busy answers 503) or did not answer within the client's
    /// timeout: counted, not fatal, since a till retries such a sale later.
    /// </summary>
    private async Task<bool> WriteAsync(BranchOffice branch)
    {
        if (settings.OnlineThroughSql)
        {
            NpgsqlDataSource till;
            lock (_sqlTills)
            {
                if (!_sqlTills.TryGetValue(branch.Id, out till!))
                {
                    var connection = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionStringFor(branch.Database)) { MaxPoolSize = settings.TillsPerBranch };
                    _sqlTills[branch.Id] = till = NpgsqlDataSource.Create(connection);
                }
            }

            await using var insert = till.CreateCommand(
                "INSERT INTO branch.products (date, product, region, qty, cost, tax) VALUES ('2026-11-26', 'online', 'north', 1, 2.5, 0.2)");
            await insert.ExecuteNonQueryAsync();
            return true;
        }

        try
        {
            await branch.CreateAsync(SaleInput.Example(product: "online"));
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException { InnerException: TimeoutException })
        {
            return false;
        }
    }

    /// <summary>Each row's commit-to-commit time, and the part of it spent at the branch until it was marked sent.</summary>
    private async Task<(List<double> Total, List<double> UntilSent)> LatenciesAsync(BranchOffice branch, long fromId)
    {
        var committed = new Dictionary<long, DateTimeOffset>();
        var untilSent = new List<double>();
        await using (var connection = await TestDatabase.OpenAsync(branch.Database))
        {
            await using var command = new NpgsqlCommand("SELECT id, updated_at, sent_at FROM branch.products WHERE id >= @from", connection);
            command.Parameters.AddWithValue("from", fromId);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var updatedAt = reader.GetFieldValue<DateTimeOffset>(1);
                committed[reader.GetInt64(0)] = updatedAt;
                untilSent.Add((reader.GetFieldValue<DateTimeOffset>(2) - updatedAt).TotalMilliseconds);
            }
        }

        var latencies = new List<double>();
        await using (var connection = await TestDatabase.OpenAsync(system.HeadOffice.Database))
        {
            await using var command = new NpgsqlCommand(
                "SELECT external_id, received_at FROM head_office.products WHERE branch_id = @branch AND external_id >= @from", connection);
            command.Parameters.AddWithValue("branch", branch.Id);
            command.Parameters.AddWithValue("from", fromId);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var stored = reader.GetFieldValue<DateTimeOffset>(1);
                latencies.Add((stored - committed[reader.GetInt64(0)]).TotalMilliseconds);
            }
        }

        if (latencies.Count != committed.Count)
        {
            throw new InvalidOperationException($"branch {branch.Id}: {committed.Count} rows written, {latencies.Count} at the head office");
        }

        return (latencies, untilSent);
    }

    private static double Percentile(List<double> sorted, int percent) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1)];
}

/// <param name="UntilSentP50Milliseconds">From the commit at the branch until the outbox had published the row and marked it sent.</param>
/// <param name="RowsPerSecond">The rate asked for, across all branches.</param>
public sealed record LatencyResult(
    int RowsPerSecond, int Rows, int Refused, double AchievedRowsPerSecond, double P50Milliseconds, double P95Milliseconds, double P99Milliseconds,
    double UntilSentP50Milliseconds, double UntilSentP99Milliseconds)
{
    /// <summary>Due sales that found every till of their branch busy for a second, and were not written.</summary>
    public int NoTill { get; init; }

    /// <summary>Every row's latency, for the run's picture; not in the JSON.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<double> SortedMilliseconds { get; init; } = [];
}
