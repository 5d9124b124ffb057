using System.Diagnostics;

namespace SynchroMesh.Benchmark;

/// <summary>The raw floors, measured in the same run on the same servers with the same rows.</summary>
public sealed class RawFloors(BenchmarkSettings settings, TextWriter log)
{
    public Task<FloorResult> RunAsync() => WithFloorAsync(async (rows, messages, database) =>
    {
        var oneRow = await messages.RunAsync(rows, rowsPerMessage: 1, consumers: 1);
        log.WriteLine($"floor (a) one row per message:           {oneRow,10:N0} rows/s");
        var hundredRows = await messages.RunAsync(rows, rowsPerMessage: 100, consumers: 1);
        log.WriteLine($"floor (b) 100 rows per message:          {hundredRows,10:N0} rows/s");
        var hundredRowsTwoConsumers = await messages.RunAsync(rows, rowsPerMessage: 100, consumers: 2);
        log.WriteLine($"floor (b) 100 rows per message, 2 consumers: {hundredRowsTwoConsumers,6:N0} rows/s");

        await database.TruncateAsync();
        var clock = Stopwatch.StartNew();
        await database.CopyAsync(rows);
        var copy = rows.Count / clock.Elapsed.TotalSeconds;
        log.WriteLine($"floor (c) binary COPY:                   {copy,10:N0} rows/s");
        return new FloorResult(rows.Count, oneRow, hundredRows, hundredRowsTwoConsumers, copy);
    });

    /// <summary>Floor (b) alone: 100 rows per message, one consumer.</summary>
    public Task<double> RunHundredRowsPerMessageAsync() =>
        WithFloorAsync((rows, messages, _) => messages.RunAsync(rows, rowsPerMessage: 100, consumers: 1));

    /// <summary>Runs <paramref name="measure"/> with every branch's rows, a virtual host and a floor database of its own.</summary>
    private async Task<T> WithFloorAsync<T>(Func<List<ProductSubmitted>, MessageFloor, FloorDatabase, Task<T>> measure)
    {
        var rows = Enumerable.Range(1, settings.Branches)
            .SelectMany(b => Enumerable.Range(1, settings.RowsPerBranch).Select(n => BenchRows.Make($"floor-{b}", n, settings)))
            .ToList();
        var virtualHost = $"sm-bench-{Guid.NewGuid():N}"[..17];
        await TestServers.Management.CreateVirtualHostAsync(virtualHost);
        try
        {
            await using var database = await FloorDatabase.CreateAsync();
            return await measure(rows, new MessageFloor(virtualHost, database), database);
        }
        finally
        {
            await TestServers.Management.DeleteVirtualHostAsync(virtualHost);
        }
    }
}

public sealed record FloorResult(int Rows, double OneRowPerMessage, double HundredRowsPerMessage, double HundredRowsTwoConsumers, double BinaryCopy);
