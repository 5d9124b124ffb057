using System.Text.Json;

namespace SynchroMesh.Benchmark;

/// <summary>
/// The head-office capacity mode: floor (b) first, then every broker and replica count asked for, then the table of
/// rows stored a second with their ratio to the floor measured in the same run.
/// </summary>
public static class CapacityRun
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter log)
    {
        CapacitySettings settings;
        try
        {
            settings = CapacitySettings.Parse(args);
        }
        catch (ArgumentException ex)
        {
            log.WriteLine($"benchmark: {ex.Message}\n{CapacitySettings.Usage}");
            return 2;
        }

        log.WriteLine($"capacity: {settings.Senders} branches x {settings.RowsPerSender:N0} rows in batches of {settings.RowsPerBatch}, " +
            $"replicas {string.Join(',', settings.Replicas)}, {Environment.ProcessorCount} cores");
        // Floor (b) with the same rows as the capacity runs move (the backlog's mix), on the single node.
        var floor = await new RawFloors(settings.AsBenchmark(), log).RunHundredRowsPerMessageAsync();
        log.WriteLine($"floor (b) 100 rows per message: {floor,10:N0} rows/s");

        var benchmark = new CapacityBenchmark(settings, log);
        var results = new List<CapacityResult>();
        foreach (var broker in settings.Brokers)
        {
            foreach (var replicas in settings.Replicas)
            {
                results.Add(await benchmark.RunAsync(broker, replicas));
            }
        }

        log.WriteLine();
        log.WriteLine($"| Broker | Queues | Replicas | Rows stored/s | × floor (b) {floor:N0} rows/s | Once warm, rows/s | × floor (b) | CPU s per 10,000 rows: head office / PostgreSQL / RabbitMQ | Peak RSS a replica | Database bytes a row |");
        log.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            var cpu = r.CpuPerTenThousandRows;
            log.WriteLine($"| {r.Broker} | {r.QueueType} | {r.Replicas} | {r.RowsPerSecond:N0} | {r.RowsPerSecond / floor:0.00} | " +
                $"{r.SteadyRowsPerSecond:N0} | {r.SteadyRowsPerSecond / floor:0.00} | " +
                $"{cpu.HeadOffice:0.00} / {cpu.Postgres:0.00} / {cpu.RabbitMq:0.00} | {r.PeakRssMegabytesPerReplica:N0} MB | {r.DatabaseBytesPerRow:N0} |");
        }

        var json = JsonSerializer.Serialize(new { settings.Senders, settings.RowsPerSender, settings.RowsPerBatch, FloorB = floor, Results = results },
            new JsonSerializerOptions { WriteIndented = true });
        log.WriteLine(json);
        if (settings.JsonPath is { } path)
        {
            await File.WriteAllTextAsync(path, json);
        }

        return 0;
    }
}
