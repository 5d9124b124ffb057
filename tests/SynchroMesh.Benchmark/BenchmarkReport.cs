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
            Row($"{at}: rows written (achieved rows/s), refused", $"{latency.Rows:N0} ({latency.AchievedRowsPerSecond:F0}), {latency.Refused}");
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

        return table.ToString();
    }

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
