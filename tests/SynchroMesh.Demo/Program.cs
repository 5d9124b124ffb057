using System.Diagnostics;
using System.Globalization;
using SynchroMesh.Demo;

// The demo: a head office and three branches on this machine, links going down and up on a schedule, sales written
// at every branch (through the API and by a till's plain SQL), a live table, then convergence and the verdict.
//   bash deploy/demo.sh [--minutes 3] [--rate 4] [--seed 1]
var options = args.Chunk(2).Where(p => p.Length == 2).ToDictionary(p => p[0].TrimStart('-'), p => p[1]);
double Number(string name, double fallback) =>
    options.TryGetValue(name, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
var duration = TimeSpan.FromMinutes(Number("minutes", 3));
var branchCount = (int)Number("branches", 3);
var rate = Number("rate", 4);
var seed = (int)Number("seed", 1);

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl-C stops everything cleanly; a second one is not caught.
    if (!stop.IsCancellationRequested)
    {
        e.Cancel = true;
        stop.Cancel();
    }
};

string[] names = ["north", "south", "east", "west", "centre", "harbour"];
var branchNames = Enumerable.Range(0, branchCount).Select(i => names[i % names.Length] + (i >= names.Length ? $"{i}" : "")).ToArray();
Console.WriteLine($"demo: starting the head office and {branchCount} branches (writing for {duration:mm\\:ss}, seed {seed}); Ctrl-C stops everything");
var exitCode = 1;
await using (var system = await SyncSystem.StartAsync(branchNames, TimeSpan.FromSeconds(10), new BrokerOptions(BehindLinks: true),
    new Dictionary<string, string> { ["Sync__HeartbeatInterval"] = "00:00:02" }))
{
    var branches = system.Branches.ToList();
    var schedules = branches.Select((_, i) => LinkSchedule.For(i)).ToList();
    var workloads = branches.Select((b, i) => new SalesWorkload(b, seed * 100 + i)).ToList();
    var tills = branches.Select((b, i) => new TillWriter(b, seed * 1000 + i)).ToList();
    var view = new LiveView(system, branches, schedules, workloads, tills);
    var clock = Stopwatch.StartNew();

    using var writing = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
    writing.CancelAfter(duration);
    var writers = workloads.Select(w => w.WriteUntilAsync(writing.Token, TimeSpan.FromSeconds(1 / rate)))
        .Concat(tills.Select(t => t.WriteUntilAsync(writing.Token, TimeSpan.FromSeconds(1.5))))
        .ToList();
    using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(1));
    while (!writing.IsCancellationRequested)
    {
        for (var i = 0; i < branches.Count; i++)
        {
            if (schedules[i].IsUpAt(clock.Elapsed)) branches[i].Link.Restore(); else branches[i].Link.Cut();
        }

        await view.RenderAsync($"writing, {clock.Elapsed:mm\\:ss} of {duration:mm\\:ss}");
        await ticks.WaitForNextTickAsync(CancellationToken.None);
    }

    await Task.WhenAll(writers);
    if (!stop.IsCancellationRequested)
    {
        // Writing over: every link up, and wait until every branch's every row is acked.
        foreach (var branch in branches)
        {
            branch.Link.Restore();
        }

        var converging = Stopwatch.StartNew();
        var deadline = TimeSpan.FromMinutes(5);
        while (!stop.IsCancellationRequested && converging.Elapsed < deadline)
        {
            await view.RenderAsync($"writing stopped; converging for {converging.Elapsed:mm\\:ss}");
            var waiting = 0L;
            foreach (var branch in branches)
            {
                waiting += await branch.CountNotAckedAsync();
            }

            if (waiting == 0)
            {
                break;
            }

            await ticks.WaitForNextTickAsync(CancellationToken.None);
        }

        if (!stop.IsCancellationRequested)
        {
            await view.RenderAsync($"converged in {converging.Elapsed.TotalSeconds:0.0} s after writing stopped", always: true);
            var reports = await system.CheckInvariantsAsync();
            Console.WriteLine();
            foreach (var report in reports)
            {
                Console.WriteLine($"  {report}");
            }

            var clean = reports.All(r => r.IsClean);
            Console.WriteLine(
                $"verdict: {(clean ? "PASS" : "FAIL")}: lost {reports.Sum(r => r.Lost)}, duplicated {reports.Sum(r => r.Duplicated)}, " +
                $"stale {reports.Sum(r => r.Stale)}, extra {reports.Sum(r => r.Extra)}, unacked {reports.Sum(r => r.Unacked)} " +
                $"over {reports.Sum(r => r.BranchRows)} branch rows and {workloads.Sum(w => w.Writes) + tills.Sum(t => t.Writes)} changes");
            exitCode = clean ? 0 : 1;
        }
    }

    if (stop.IsCancellationRequested)
    {
        Console.WriteLine("\ndemo: Ctrl-C; stopping the services and removing the demo's databases and virtual host");
        exitCode = 130;
    }
}

Console.WriteLine("demo: everything it started is stopped");
return exitCode;
