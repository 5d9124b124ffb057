using System.Diagnostics;

namespace SynchroMesh.Benchmark;

/// <summary>
/// What a branch process costs its PC when nothing is selling: how soon it is ready after a start on a warm machine,
/// and its memory and CPU while idle, after the drain and the online phase (a branch that has worked its day).
/// </summary>
public sealed class BranchProcessBenchmark(SyncSystem system, TextWriter log)
{
    /// <summary>
    /// Left to the processes after the last sale before idle is measured: the last acks and heartbeats settle, the
    /// runtime finishes compiling what the idle loop runs (tiered compilation), and the outbox gives back the memory of
    /// its work (after 30 s with nothing to send). What stays is what a branch idling for hours costs.
    /// </summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    /// <summary>The window over which idle CPU is measured: four heartbeats and sixty outbox polls.</summary>
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(60);

    public async Task<BranchProcessResult> RunAsync()
    {
        // Ready after a start: the first branch restarts while the others idle; its build output is in the page cache.
        var restarted = system.Branches.First();
        await restarted.Process.StopAsync();
        var clock = Stopwatch.StartNew();
        restarted.Process.Start();
        await restarted.Process.WaitUntilReadyAsync(interval: TimeSpan.FromMilliseconds(20));
        var ready = clock.Elapsed;
        log.WriteLine($"branch process: {restarted.Id} ready {ready.TotalSeconds:F2} s after its start");

        // A fixed window, not a wait for a condition: what is measured is what the processes do over that time.
        await Task.Delay(Settle);
        var before = system.Branches.ToDictionary(b => b.Id, b => ProcessCpu.SecondsOf(b.Process.ProcessId!.Value));
        await Task.Delay(IdleWindow);
        var idle = system.Branches.ToDictionary(
            b => b.Id,
            b => new IdleFigures(
                b.Process.RssMegabytes(),
                100 * (ProcessCpu.SecondsOf(b.Process.ProcessId!.Value) - before[b.Id]) / IdleWindow.TotalSeconds));
        foreach (var (id, figures) in idle)
        {
            log.WriteLine($"branch process: {id} idle {figures.RssMegabytes:F0} MB, {figures.CpuPercent:F2} % of a core");
        }

        return new BranchProcessResult(ready.TotalSeconds, restarted.Id, idle);
    }
}

/// <param name="CpuPercent">Percent of one core over the idle window.</param>
public sealed record IdleFigures(double RssMegabytes, double CpuPercent);

/// <param name="ReadySeconds">From the start of <paramref name="RestartedBranch"/>'s process until its readiness answered 200.</param>
public sealed record BranchProcessResult(double ReadySeconds, string RestartedBranch, IReadOnlyDictionary<string, IdleFigures> Idle);
