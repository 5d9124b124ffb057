using System.Diagnostics;

namespace SynchroMesh.Benchmark;

/// <summary>
/// A day offline, then the link comes back: every branch records its backlog with its link cut, all links open at
/// once, and the clock runs until the last row is stored at the head office and acked at its branch.
/// </summary>
/// <remarks>
/// The backlog is written straight into each branch's table (binary COPY, each row in the state the branch API
/// leaves it: a new version not yet sent), so that what is timed is the sync, not the tills.
/// </remarks>
public sealed class DrainBenchmark(BenchmarkSettings settings, SyncSystem system, TextWriter log)
{
    /// <summary>Rows each branch syncs with its link up before going offline, as a branch does before its day offline.</summary>
    private const int WarmUpRows = 2_000;

    /// <summary>How long the drain may make no progress at all before the benchmark gives up on it.</summary>
    private static readonly TimeSpan StallLimit = TimeSpan.FromMinutes(5);

    public async Task<DrainResult> RunAsync()
    {
        // Warm: the services have synced before (code compiled, pools and connections open), as in production.
        foreach (var branch in system.Branches)
        {
            await WriteRowsAsync(branch, 1, WarmUpRows);
        }

        foreach (var branch in system.Branches)
        {
            await branch.WaitUntilAllAckedAsync(TimeSpan.FromMinutes(5));
        }

        var (alreadyStored, _) = await ProgressAsync();
        foreach (var branch in system.Branches)
        {
            branch.Link.Cut();
        }

        foreach (var branch in system.Branches)
        {
            await WriteRowsAsync(branch, WarmUpRows + 1, settings.RowsPerBranch);
        }

        log.WriteLine($"drain: {settings.Branches} branches x {settings.RowsPerBranch:N0} rows recorded offline; opening every link");
        var clock = Stopwatch.StartNew();
        var opened = DateTimeOffset.UtcNow;
        foreach (var branch in system.Branches)
        {
            branch.Link.Restore();
        }

        // Polled once a second only to see when it is over, since polling takes CPU from the services on a small
        // machine; the times themselves are read from the rows afterwards (the same machine's clock).
        var lastReport = TimeSpan.Zero;
        var lastProgress = (Stored: -1L, Unacked: -1L);
        var lastProgressAt = TimeSpan.Zero;
        using var poll = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (true)
        {
            var (storedInAll, unacked) = await ProgressAsync();
            var stored = storedInAll - alreadyStored;
            if (stored == settings.TotalRows && unacked == 0)
            {
                break;
            }

            if ((stored, unacked) != lastProgress)
            {
                lastProgress = (stored, unacked);
                lastProgressAt = clock.Elapsed;
            }
            else if (clock.Elapsed - lastProgressAt > StallLimit)
            {
                throw new TimeoutException(
                    $"the drain made no progress for {StallLimit.TotalMinutes} minutes: stored at head office {stored:N0}/{settings.TotalRows:N0}, not yet acked at branches {unacked:N0}");
            }

            if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(10))
            {
                lastReport = clock.Elapsed;
                log.WriteLine($"drain: {clock.Elapsed.TotalSeconds,6:F0} s  stored at head office {stored:N0}/{settings.TotalRows:N0}, not yet acked at branches {unacked:N0}");
            }

            await poll.WaitForNextTickAsync();
        }

        var (firstStoredAt, lastAckedAt) = await DrainTimesAsync();
        var seconds = (lastAckedAt - opened).TotalSeconds;
        var peaks = system.Branches.ToDictionary(b => b.Id, b => b.Process.PeakRssMegabytes());
        peaks[BenchmarkReport.HeadOfficeProcess] = system.HeadOffice.Process.PeakRssMegabytes();
        var reports = await system.CheckInvariantsAsync();
        var dirty = reports.Where(r => !r.IsClean).ToList();
        if (dirty.Count > 0)
        {
            throw new InvalidOperationException($"the drain broke an invariant: {string.Join("; ", dirty)}");
        }

        return new DrainResult(settings.TotalRows, seconds, settings.TotalRows / seconds, (firstStoredAt - opened).TotalSeconds, peaks)
        {
            StoredAtSeconds = await StoredAtSecondsAsync(opened),
        };
    }

    private async Task WriteRowsAsync(BranchOffice branch, long first, int count)
    {
        await using var connection = await TestDatabase.OpenAsync(branch.Database);
        await using (var writer = await connection.BeginBinaryImportAsync(
            $"COPY branch.products ({BenchRowCopy.SaleColumns}, version, sent_version, acked_version) FROM STDIN (FORMAT BINARY)"))
        {
            for (var n = first; n < first + count; n++)
            {
                var row = BenchRows.Make(branch.Id, n, settings);
                await writer.StartRowAsync();
                await BenchRowCopy.WriteSaleAsync(writer, row);
                await writer.WriteAsync(row.Version);
                await writer.WriteAsync(0L);
                await writer.WriteAsync(0L);
            }

            await writer.CompleteAsync();
        }

        // Statistics as autovacuum keeps them over a day of trading: straight after a bulk load of a million rows the
        // planner knows nothing of them, and the first minute of a drain ran at less than half its rate until
        // autovacuum's ANALYZE came by.
        await using var analyze = new NpgsqlCommand("ANALYZE branch.products", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    private async Task<(long Stored, long Unacked)> ProgressAsync()
    {
        var stored = await system.HeadOffice.StoredRowsAsync();

        var unacked = 0L;
        foreach (var branch in system.Branches)
        {
            unacked += await branch.CountNotAckedAsync();
        }

        return (stored, unacked);
    }

    /// <summary>When the head office stored the first row of the backlog, and when the last one was acked at its branch.</summary>
    private async Task<(DateTimeOffset FirstStored, DateTimeOffset LastAcked)> DrainTimesAsync()
    {
        var firstStored = Utc(await system.HeadOffice.ScalarAsync<DateTime>(
            "SELECT min(received_at) FROM head_office.products WHERE external_id > @warm", ("warm", (long)WarmUpRows)));

        var lastAcked = DateTimeOffset.MinValue;
        foreach (var branch in system.Branches)
        {
            var acked = Utc(await branch.ScalarAsync<DateTime>("SELECT max(acked_at) FROM branch.products"));
            lastAcked = acked > lastAcked ? acked : lastAcked;
        }

        return (firstStored, lastAcked);
    }

    /// <summary>When each row of the backlog was stored at the head office, in seconds since the links opened, per branch.</summary>
    private async Task<IReadOnlyDictionary<string, double[]>> StoredAtSecondsAsync(DateTimeOffset opened)
    {
        await using var headOffice = await TestDatabase.OpenAsync(system.HeadOffice.Database);
        await using var stored = new NpgsqlCommand(
            "SELECT branch_id, extract(epoch FROM received_at - @opened)::float8 FROM head_office.products WHERE external_id > @warm ORDER BY received_at",
            headOffice);
        stored.Parameters.AddWithValue("opened", opened);
        stored.Parameters.AddWithValue("warm", (long)WarmUpRows);
        var times = new Dictionary<string, List<double>>();
        await using var reader = await stored.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var branch = reader.GetString(0);
            if (!times.TryGetValue(branch, out var list))
            {
                times[branch] = list = [];
            }

            list.Add(reader.GetDouble(1));
        }

        return times.ToDictionary(t => t.Key, t => t.Value.ToArray());
    }

    /// <summary>Npgsql reads a timestamptz as a UTC <see cref="DateTime"/>.</summary>
    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

/// <param name="FirstStoredSeconds">When the head office held its first row: the links' reconnection, mostly.</param>
public sealed record DrainResult(int Rows, double Seconds, double RowsPerSecond, double FirstStoredSeconds, IReadOnlyDictionary<string, double> PeakRssMegabytes)
{
    /// <summary>When each row was stored, in seconds since the links opened, per branch: for the run's picture, not in the JSON.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<string, double[]> StoredAtSeconds { get; init; } = new Dictionary<string, double[]>();

    /// <summary>The drain without the links' reconnection: from the first row stored to the last acked.</summary>
    public double RowsPerSecondOnceConnected => Rows / Math.Max(Seconds - FirstStoredSeconds, 0.001);
}
