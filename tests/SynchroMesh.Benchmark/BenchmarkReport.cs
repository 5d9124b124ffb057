using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SynchroMesh.Benchmark;

/// <summary>The figures of one run, as a Markdown table for people and as JSON for tools.</summary>
public sealed record BenchmarkReport(
    BenchmarkSettings Settings,
    FloorResult? Floors,
    PeerResult? Peer,
    DrainResult Drain,
    IReadOnlyList<LatencyResult> Latencies,
    BranchProcessResult? Process)
{
    /// <summary>The figures as the Markdown table of docs/performance.md: each rate with its ratio to the floors of the same run.</summary>
    public string ToMarkdown()
    {
        var table = new StringBuilder();
        void Row(string figure, string value, string ratio = "") => table.AppendLine(CultureInfo.InvariantCulture, $"| {figure} | {value} | {ratio} |");

        table.AppendLine(CultureInfo.InvariantCulture,
            $"{Settings.Branches} branches × {Settings.RowsPerBranch:N0} rows ({100 - Settings.UpdatedPercent - Settings.DeletedPercent}% created, " +
            $"{Settings.UpdatedPercent}% updated, {Settings.DeletedPercent}% deleted); online {string.Join(" and ", Settings.OnlineRates)} rows/s for {Settings.OnlineSeconds} s each.");
        table.AppendLine();
        table.AppendLine("| figure | measured | ratio to the floors of the same run |");
        table.AppendLine("|---|---|---|");
        var ratios = Floors is { } f
            ? $"{Share(f.OneRowPerMessage)} of (a), {Share(f.HundredRowsPerMessage)} of (b), {Share(f.HundredRowsTwoConsumers)} of (b, 2 consumers), {Share(f.BinaryCopy)} of (c)"
            : "";
        Row("drain, rows/s end to end", $"**{Rate(Drain.RowsPerSecond)}** ({Drain.Rows:N0} rows in {Drain.Seconds:F1} s)", ratios);
        Row("drain, rows/s from the first row stored", $"{Rate(Drain.RowsPerSecondOnceConnected)} (first row after {Drain.FirstStoredSeconds:F1} s)");
        if (Floors is { } floors)
        {
            Row("floor (a): 1 row per message, rows/s", Rate(floors.OneRowPerMessage));
            Row("floor (b): 100 rows per message, rows/s", Rate(floors.HundredRowsPerMessage));
            Row("floor (b): 100 rows per message, 2 consumers, rows/s", Rate(floors.HundredRowsTwoConsumers));
            Row("floor (c): PostgreSQL binary COPY, rows/s", Rate(floors.BinaryCopy));
        }

        if (Peer is { } peer)
        {
            Row("peer: PostgreSQL logical replication, the same backlog, rows/s", $"{Rate(peer.RowsPerSecond)} ({peer.Rows:N0} rows in {peer.Seconds:F1} s)",
                $"the drain is {Share(peer.RowsPerSecond)} of it");
        }

        foreach (var latency in Latencies)
        {
            var at = $"online at {latency.RowsPerSecond:N0} rows/s";
            Row($"{at}: branch commit to head office commit, p50 / p95 / p99", $"**{latency.P50Milliseconds:F0} / {latency.P95Milliseconds:F0} / {latency.P99Milliseconds:F0} ms**");
            Row($"{at}: branch commit until marked sent (after the publish), p50 / p99", $"{latency.UntilSentP50Milliseconds:F0} / {latency.UntilSentP99Milliseconds:F0} ms");
            Row($"{at}: rows written (achieved rows/s), refused or timed out, no till free", $"{latency.Rows:N0} ({latency.AchievedRowsPerSecond:F0}), {latency.Refused}, {latency.NoTill}");
        }

        foreach (var (process, megabytes) in Drain.PeakRssMegabytes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Row($"peak RSS during the drain: {process}", $"{megabytes:F0} MB");
        }

        if (Process is { } branchProcess)
        {
            Row($"branch process: ready after its start ({branchProcess.RestartedBranch})", $"{branchProcess.ReadySeconds:F2} s");
            foreach (var (branch, idle) in branchProcess.Idle.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Row($"branch process idle: {branch}, RSS / CPU", $"{idle.RssMegabytes:F0} MB / {idle.CpuPercent:F2} % of a core");
            }
        }

        AppendTargets(table);
        return table.ToString();
    }

    /// <summary>The targets of docs/performance.md this run can judge, each with what was measured.</summary>
    private void AppendTargets(StringBuilder table)
    {
        var targets = new List<(string Target, string Shown, bool Met)>();
        if (Floors is { } floors)
        {
            var share = Drain.RowsPerSecond / floors.HundredRowsPerMessage;
            targets.Add(("drain at least 0.35 of floor (b)", share.ToString("F3", CultureInfo.InvariantCulture), share >= 0.35));
        }

        foreach (var (rate, limit) in new[] { (200, 100.0), (1000, 250.0) })
        {
            if (Latencies.FirstOrDefault(l => l.RowsPerSecond == rate) is { } latency)
            {
                targets.Add(($"online p99 at most {limit:F0} ms at {rate:N0} rows/s", $"{latency.P99Milliseconds:F0} ms",
                    latency.P99Milliseconds <= limit && latency.AchievedRowsPerSecond >= 0.95 * rate));
            }
        }

        var branchPeaks = Drain.PeakRssMegabytes.Where(p => p.Key != HeadOfficeProcess).Select(p => p.Value).DefaultIfEmpty(double.NaN).Max();
        targets.Add(("a branch under 200 MB RSS while draining (the largest)", $"{branchPeaks:F0} MB", branchPeaks < 200));
        if (Process is { } process)
        {
            var idleRss = process.Idle.Values.Max(i => i.RssMegabytes);
            var idleCpu = process.Idle.Values.Max(i => i.CpuPercent);
            targets.Add(("a branch under 150 MB RSS while idle (the largest)", $"{idleRss:F0} MB", idleRss < 150));
            targets.Add(("a branch under 1 % of a core while idle (the busiest)", $"{idleCpu:F2} %", idleCpu < 1));
            targets.Add(("a branch ready within 2 s of its start", $"{process.ReadySeconds:F2} s", process.ReadySeconds <= 2));
        }

        table.AppendLine();
        table.AppendLine("| target | this run | met |");
        table.AppendLine("|---|---|---|");
        foreach (var (target, shown, met) in targets)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"| {target} | {shown} | {(met ? "yes" : "**no**")} |");
        }
    }

    /// <summary>The head office's entry among the drain's peak memory figures.</summary>
    public const string HeadOfficeProcess = "head office";

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>A report written by <see cref="ToJson"/>.</summary>
    public static BenchmarkReport FromJson(string json) =>
        JsonSerializer.Deserialize<BenchmarkReport>(json, JsonOptions) ?? throw new JsonException("the file holds no benchmark report");

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private string Share(double floor) => (Drain.RowsPerSecond / floor).ToString("F3", CultureInfo.InvariantCulture);

    private static string Rate(double rowsPerSecond) => rowsPerSecond.ToString("N0", CultureInfo.InvariantCulture);
}
