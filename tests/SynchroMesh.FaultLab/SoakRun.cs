using System.Diagnostics;

namespace SynchroMesh.FaultLab;

/// <summary>
/// A mix of every fault the lab can make, for a given duration, against several branches writing at a steady
/// rate; then quiet, convergence, and the invariant checker's verdict.
/// </summary>
public sealed class SoakRun(SoakSettings settings, TextWriter log)
{
    private readonly Random _random = new(settings.Seed);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public async Task<SoakResult> RunAsync()
    {
        var names = Enumerable.Range(1, settings.Branches).Select(i => $"soak{i}").ToArray();
        await using var system = await SyncSystem.StartAsync(names, settings.AckTimeout, new BrokerOptions(BehindLinks: true));
        Say($"started head office and {names.Length} branches (vhost {system.VirtualHost}, seed {settings.Seed})");

        var faults = new Dictionary<string, int>();
        var workloads = system.Branches.Select((b, i) => new SalesWorkload(b, settings.Seed * 100 + i, hardDeletes: true)).ToList();
        var lastFaultEnded = TimeSpan.Zero;
        using (var writing = new CancellationTokenSource(settings.Duration))
        {
            var pace = TimeSpan.FromSeconds(1.0 / settings.WritesPerSecondPerBranch);
            var writers = workloads.Select(w => w.WriteUntilAsync(writing.Token, pace)).ToList();
            while (!writing.IsCancellationRequested)
            {
                var fault = await InjectAsync(system, writing.Token);
                faults[fault] = faults.GetValueOrDefault(fault) + 1;
                lastFaultEnded = _clock.Elapsed;
                await PauseAsync(TimeSpan.FromSeconds(_random.Next(1, settings.MaxSecondsBetweenFaults)), writing.Token);
            }

            await Task.WhenAll(writers);
        }

        foreach (var branch in system.Branches)
        {
            branch.Link.Latency = TimeSpan.Zero;
            branch.Link.Restore();
        }

        Say($"writing stopped after {workloads.Sum(w => w.Writes)} changes ({workloads.Sum(w => w.Refused)} refused by a branch that was down); waiting for convergence");
        var converging = Stopwatch.StartNew();
        foreach (var branch in system.Branches)
        {
            await branch.WaitUntilAllAckedAsync(settings.ConvergenceTimeout);
        }

        var convergedAfter = _clock.Elapsed - lastFaultEnded;
        var reports = await system.CheckInvariantsAsync();
        foreach (var report in reports)
        {
            Say(report.ToString());
        }

        return new SoakResult(settings, workloads.Sum(w => w.Writes), faults, reports, convergedAfter, converging.Elapsed,
            SupervisorRecoveries(system.LogFolder));
    }

    private async Task<string> InjectAsync(SyncSystem system, CancellationToken writing)
    {
        var branch = system.Branches.ElementAt(_random.Next(system.Branches.Count));
        var roll = _random.Next(100);
        switch (roll)
        {
            case < 30:
                Say($"link of {branch.Id} cut");
                branch.Link.Cut();
                await PauseAsync(TimeSpan.FromSeconds(_random.Next(1, 15)), writing);
                branch.Link.Restore();
                Say($"link of {branch.Id} restored");
                return "link cut";
            case < 40:
                var flaps = _random.Next(5, 11);
                Say($"link of {branch.Id} flaps {flaps} times, a second apart");
                for (var flap = 0; flap < flaps; flap++)
                {
                    branch.Link.Cut();
                    await PauseAsync(TimeSpan.FromMilliseconds(500), writing);
                    branch.Link.Restore();
                    await PauseAsync(TimeSpan.FromMilliseconds(500), writing);
                }

                return "link flap burst";
            case < 55:
                Say($"link of {branch.Id} slowed to 300 ms");
                branch.Link.Latency = TimeSpan.FromMilliseconds(300);
                await PauseAsync(TimeSpan.FromSeconds(_random.Next(3, 10)), writing);
                branch.Link.Latency = TimeSpan.Zero;
                return "link slow";
            case < 70:
                Say("head office killed (-9)");
                await system.HeadOffice.Process.KillAsync();
                await system.HeadOffice.Process.StartAndWaitUntilReadyAsync();
                Say("head office back");
                return "head office kill -9";
            case < 80:
                Say("head office stopped gracefully");
                await system.HeadOffice.Process.StopAsync();
                await PauseAsync(TimeSpan.FromSeconds(_random.Next(1, 5)), writing);
                await system.HeadOffice.Process.StartAndWaitUntilReadyAsync();
                return "head office restart";
            case < 90:
                // Its tills are down too while it restarts, so writing to it waits.
                Say($"branch {branch.Id} killed (-9)");
                await branch.Process.KillAsync();
                await branch.Process.StartAndWaitUntilReadyAsync();
                Say($"branch {branch.Id} back");
                return "branch kill -9";
            case < 95:
                return await KillAndStartAsync("postgres", "PostgreSQL");
            default:
                return await KillAndStartAsync("rabbit", "RabbitMQ");
        }
    }

    /// <summary>Kills a server (SIGKILL) and starts it again, even when the kill failed half way.</summary>
    private async Task<string> KillAndStartAsync(string server, string name)
    {
        Say($"{name} killed (-9)");
        try
        {
            await TestServers.ControlAsync($"kill-{server}");
        }
        finally
        {
            await TestServers.ControlAsync($"start-{server}");
        }

        Say($"{name} back");
        return $"{name.ToLowerInvariant()} kill -9";
    }

    /// <summary>
    /// The supervisors' recoveries, by action, from the whole logs of every service process (a count kept in a process
    /// would be lost with each kill).
    /// </summary>
    private static IReadOnlyDictionary<string, int> SupervisorRecoveries(string logFolder) =>
        Directory.GetFiles(logFolder, "*.log")
            .SelectMany(File.ReadLines)
            .Select(line => line.IndexOf("; recovering by ", StringComparison.Ordinal) is var at and >= 0 ? line[(at + 16)..].Trim() : null)
            .OfType<string>()
            .GroupBy(action => action)
            .ToDictionary(g => g.Key, g => g.Count());

    private static async Task PauseAsync(TimeSpan span, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(span);
        try
        {
            await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Writing is over; the fault in progress ends now.
        }
    }

    private void Say(string line) => log.WriteLine($"[{_clock.Elapsed:hh\\:mm\\:ss}] {line}");
}
