using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace SynchroMesh.Benchmark;

/// <summary>
/// How the head office and the broker grow with the number of branches online: for each fleet size, a head office
/// with <see cref="BranchFleet"/> speaking for that many branches (heartbeats and small batches), measured once steady.
/// </summary>
public static class FleetRun
{
    public const string Usage = """
        usage: dotnet run --project tests/SynchroMesh.Benchmark -c Release -- --fleet [options]
          --sizes L      fleet sizes, comma-separated (default 10,100,500)
          --seconds N    how long each fleet runs once connected (default 60)
          --broker B     single (default) or cluster
          --branch-queues T   the simulated branches' queues: quorum or classic (default: quorum on the cluster,
                         classic on the single node); the head office's own follow the broker
          --json PATH    also write the results as JSON to PATH
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter log)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        if (args.Count % 2 != 0 || options.Keys.Any(k => k is not ("sizes" or "seconds" or "broker" or "branch-queues" or "json"))
            || options.GetValueOrDefault("branch-queues", "quorum") is not ("quorum" or "classic")
            || !options.GetValueOrDefault("sizes", "10,100,500").Split(',').All(s => int.TryParse(s, out var n) && n > 0)
            || !int.TryParse(options.GetValueOrDefault("seconds", "60"), out var seconds) || seconds < 20
            || options.GetValueOrDefault("broker", "single") is not ("single" or "cluster"))
        {
            log.WriteLine($"benchmark: bad fleet arguments (seconds at least 20)\n{Usage}");
            return 2;
        }

        var sizes = options.GetValueOrDefault("sizes", "10,100,500").Split(',').Select(int.Parse).ToArray();
        var onCluster = options.GetValueOrDefault("broker") == "cluster";
        var quorumBranchQueues = options.GetValueOrDefault("branch-queues", onCluster ? "quorum" : "classic") == "quorum";
        var results = new List<FleetResult>();
        foreach (var size in sizes)
        {
            results.Add(await MeasureAsync(size, TimeSpan.FromSeconds(seconds), onCluster, quorumBranchQueues, log));
        }

        log.WriteLine();
        log.WriteLine("| Branches | Provision and connect s | CPU of a core: HO / PostgreSQL / RabbitMQ | HO RSS | Rows stored/s | Online seen | Broker connections | channels | queues | consumers | Broker memory |");
        log.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Branches} | {r.ConnectSeconds:0.0} | {r.HeadOfficeCpuPercent:0.0}% / {r.PostgresCpuPercent:0.0}% / {r.RabbitMqCpuPercent:0.0}% | {r.HeadOfficeRssMegabytes:N0} MB | {r.RowsPerSecond:N1} | {r.OnlineSeen} | {r.Connections} | {r.Channels} | {r.Queues} | {r.Consumers} | {r.BrokerMemoryMegabytes:N0} MB |"));
        }

        var json = JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true });
        log.WriteLine(json);
        if (options.GetValueOrDefault("json") is { } path)
        {
            await File.WriteAllTextAsync(path, json);
        }

        return 0;
    }

    private static async Task<FleetResult> MeasureAsync(int size, TimeSpan duration, bool onCluster, bool quorumBranchQueues, TextWriter log)
    {
        await using var system = await SyncSystem.StartAsync([], broker: new BrokerOptions(UseQuorumQueues: onCluster, OnCluster: onCluster));
        await using var fleet = new BranchFleet(system, size, quorumBranchQueues, log);
        var connecting = Stopwatch.StartNew();
        await fleet.ConnectAsync();
        var connectSeconds = connecting.Elapsed.TotalSeconds;

        // Measured once the fleet has settled in: every branch's first heartbeat has made it online at the head office.
        using var stop = new CancellationTokenSource();
        var running = fleet.RunAsync(stop.Token);
        await Eventually.UntilAsync(async () => (await system.HeadOffice.BranchesAsync()).Count(b => b.Online) == size,
            BranchFleet.HeartbeatInterval * 4, $"the head office sees all {size} branches online");
        var pid = system.HeadOffice.Process.ProcessId ?? throw new InvalidOperationException("the head office is not running");
        var cpuBefore = ProcessCpu.SecondsOf(pid);
        var serversBefore = ProcessCpu.Servers(system.Broker);
        var storedBefore = await system.HeadOffice.StoredRowsAsync();
        var clock = Stopwatch.StartNew();
        stop.CancelAfter(duration);
        await running;
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = (ProcessCpu.SecondsOf(pid) - cpuBefore) / elapsed * 100;
        var serversAfter = ProcessCpu.Servers(system.Broker);
        var rowsPerSecond = (await system.HeadOffice.StoredRowsAsync() - storedBefore) / elapsed;

        var overview = await system.Broker.Management.OverviewAsync();
        var totals = overview.GetProperty("object_totals");
        var nodes = await system.Broker.Management.NodesAsync();
        var brokerMemory = nodes.Sum(n => n.TryGetProperty("mem_used", out var used) ? used.GetInt64() : 0) / 1024.0 / 1024.0;
        var online = (await system.HeadOffice.BranchesAsync()).Count(b => b.Online);
        var result = new FleetResult(size, connectSeconds, cpu,
            (serversAfter.Postgres - serversBefore.Postgres) / elapsed * 100, (serversAfter.RabbitMq - serversBefore.RabbitMq) / elapsed * 100,
            system.HeadOffice.Process.RssMegabytes(), rowsPerSecond, online,
            totals.GetProperty("connections").GetInt32(), totals.GetProperty("channels").GetInt32(),
            totals.GetProperty("queues").GetInt32(), totals.GetProperty("consumers").GetInt32(), brokerMemory);
        log.WriteLine($"fleet {size}: {result}");
        return result;
    }
}

/// <param name="ConnectSeconds">Provisioning every branch's user and routes, then opening its connection, queues and consumers.</param>
/// <param name="OnlineSeen">Branches the head office counts online by their heartbeats at the end.</param>
/// <param name="HeadOfficeCpuPercent">Of one core, over the steady period; likewise PostgreSQL's and RabbitMQ's (all their processes).</param>
public sealed record FleetResult(
    int Branches, double ConnectSeconds, double HeadOfficeCpuPercent, double PostgresCpuPercent, double RabbitMqCpuPercent, double HeadOfficeRssMegabytes, double RowsPerSecond, int OnlineSeen,
    int Connections, int Channels, int Queues, int Consumers, double BrokerMemoryMegabytes);
