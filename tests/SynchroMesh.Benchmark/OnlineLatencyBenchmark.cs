using System.Diagnostics;
using Npgsql;
using SynchroMesh.FaultLab;

namespace SynchroMesh.Benchmark;

/// <summary>
/// Links up, tills selling at a steady rate through the branch API: how long from a row's commit at its branch to
/// its commit at the head office (the branch's <c>updated_at</c> against the head office's <c>received_at</c>).
/// </summary>
public sealed class OnlineLatencyBenchmark(BenchmarkSettings settings, SyncSystem system, TextWriter log)
{
    public async Task<LatencyResult> RunAsync()
    {
        var branches = system.Branches.ToList();
        var firstNewId = new Dictionary<string, long>();
        foreach (var branch in branches)
        {
            firstNewId[branch.Id] = await branch.ScalarAsync<long>("SELECT coalesce(max(id), 0) + 1 FROM branch.products");
        }

        log.WriteLine($"online: {settings.OnlineRowsPerSecond} rows/s across {branches.Count} branches for {settings.OnlineSeconds} s");
        var writes = new List<Task>();
        var clock = Stopwatch.StartNew();
        // Paced by the clock, not by timer ticks (which slip on a busy machine): each tick issues what is due.
        using (var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(20)))
        {
            var duration = TimeSpan.FromSeconds(settings.OnlineSeconds);
            while (clock.Elapsed < duration && await pace.WaitForNextTickAsync())
            {
                var due = (int)(Math.Min(clock.Elapsed.TotalSeconds, duration.TotalSeconds) * settings.OnlineRowsPerSecond);
                while (writes.Count < due)
                {
                    var branch = branches[writes.Count % branches.Count];
                    writes.Add(Task.Run(() => WriteAsync(branch)));
                }
            }
        }

        await Task.WhenAll(writes);
        var achieved = (writes.Count - _refused) / clock.Elapsed.TotalSeconds;
        foreach (var branch in branches)
        {
            await branch.WaitUntilAllAckedAsync(TimeSpan.FromMinutes(5));
        }

        var latencies = new List<double>();
        foreach (var branch in branches)
        {
            latencies.AddRange(await LatenciesAsync(branch, firstNewId[branch.Id]));
        }

        latencies.Sort();
        return new LatencyResult(latencies.Count, _refused, achieved, Percentile(latencies, 50), Percentile(latencies, 95), Percentile(latencies, 99));
    }

    private int _refused;

    /// <summary>One till's sale; a branch too busy to take it answers 503, which is counted, not fatal.</summary>
    private async Task WriteAsync(BranchOffice branch)
    {
        try
        {
            await branch.CreateAsync(SaleInput.Example(product: "online"));
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref _refused);
        }
    }

    private async Task<IEnumerable<double>> LatenciesAsync(BranchOffice branch, long fromId)
    {
        var committed = new Dictionary<long, DateTimeOffset>();
        await using (var connection = new NpgsqlConnection(TestServers.Database(branch.Database)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT id, updated_at FROM branch.products WHERE id >= @from", connection);
            command.Parameters.AddWithValue("from", fromId);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                committed[reader.GetInt64(0)] = reader.GetFieldValue<DateTimeOffset>(1);
            }
        }

        var latencies = new List<double>();
        await using (var connection = new NpgsqlConnection(TestServers.Database(system.HeadOffice.Database)))
        {
            await connection.OpenAsync();
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

        return latencies;
    }

    private static double Percentile(List<double> sorted, int percent) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1)];
}

public sealed record LatencyResult(int Rows, int Refused, double AchievedRowsPerSecond, double P50Milliseconds, double P95Milliseconds, double P99Milliseconds);
