using System.Text.Json;
using SynchroMesh.Benchmark;

// The throughput benchmark: raw floors, the offline backlog drained end to end, online latency. See docs/performance.md.
//   dotnet run --project tests/SynchroMesh.Benchmark -c Release -- --branches 4 --rows 50000
// The table of docs/performance.md, from the JSON a run wrote.
if (args is ["--markdown-from", var reportPath])
{
    try
    {
        Console.Write(BenchmarkReport.FromJson(await File.ReadAllTextAsync(reportPath)).ToMarkdown());
        return 0;
    }
    catch (Exception ex) when (ex is IOException or JsonException)
    {
        Console.Error.WriteLine($"benchmark: cannot read the report {reportPath}: {ex.Message}");
        return 1;
    }
}

// The head office's capacity with 1, 2 and 3 replicas, on the single node and on the cluster. See docs/scaling.md.
//   dotnet run --project tests/SynchroMesh.Benchmark -c Release -- --capacity --senders 50 --rows 2000
if (args is ["--capacity", .. var capacityArgs])
{
    return await CapacityRun.RunAsync(capacityArgs, Console.Out);
}

// How the head office and the broker grow with 10, 100 and 500 branches online. See docs/scaling.md.
//   dotnet run --project tests/SynchroMesh.Benchmark -c Release -- --fleet --sizes 10,100,500 --seconds 60
if (args is ["--fleet", .. var fleetArgs])
{
    return await FleetRun.RunAsync(fleetArgs, Console.Out);
}

BenchmarkSettings settings;
try
{
    settings = BenchmarkSettings.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"benchmark: {ex.Message}\n{BenchmarkSettings.Usage}");
    return 2;
}

Console.WriteLine($"benchmark: {settings.Branches} branches x {settings.RowsPerBranch:N0} rows " +
    $"({100 - settings.UpdatedPercent - settings.DeletedPercent}% created, {settings.UpdatedPercent}% updated, {settings.DeletedPercent}% deleted), " +
    $"{Environment.ProcessorCount} cores");

var floors = settings.Floors ? await new RawFloors(settings, Console.Out).RunAsync() : null;
var peer = settings.Peer ? await new LogicalReplicationPeer(settings, Console.Out).RunAsync() : null;

var names = Enumerable.Range(1, settings.Branches).Select(i => $"bench{i}").ToArray();
await using (var system = await SyncSystem.StartAsync(names, broker: new BrokerOptions(BehindLinks: true), productPace: true))
{
    var drain = await new DrainBenchmark(settings, system, Console.Out).RunAsync();
    var latencies = new List<LatencyResult>();
    foreach (var rate in settings.OnlineRates)
    {
        latencies.Add(await new OnlineLatencyBenchmark(settings, rate, system, Console.Out).RunAsync());
    }

    var process = settings.Process ? await new BranchProcessBenchmark(system, Console.Out).RunAsync() : null;

    // Reported before the system is torn down, so that a failure to clean up cannot lose the figures.
    var report = new BenchmarkReport(settings, floors, peer, drain, latencies, process);
    Console.WriteLine();
    Console.WriteLine(report.ToMarkdown());
    var json = report.ToJson();
    Console.WriteLine(json);
    if (settings.JsonPath is { } path)
    {
        await File.WriteAllTextAsync(path, json);
    }

    if (settings.ChartsFolder is { } charts)
    {
        foreach (var chart in BenchmarkCharts.Write(charts, drain, latencies))
        {
            Console.WriteLine($"chart: {chart}");
        }
    }
}

return 0;
