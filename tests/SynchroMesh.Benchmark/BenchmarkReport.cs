using System.Globalization;
using System.Text.Json;
using System.Text;

namespace SynchroMesh.Benchmark;

/// <summary>The figures of one run, as a table for people and as JSON for tools.</summary>
public sealed record BenchmarkReport(BenchmarkSettings Settings, FloorResult? Floors, DrainResult Drain, LatencyResult? Latency)
{
    public string ToTable()
    {
        var table = new StringBuilder();
        void Line(string what, string value) => table.AppendLine(CultureInfo.InvariantCulture, $"{what,-52} {value,14}");

        Line("drain: rows (all branches)", Drain.Rows.ToString("N0", CultureInfo.InvariantCulture));
        Line("drain: seconds until all stored and acked", Drain.Seconds.ToString("F1", CultureInfo.InvariantCulture));
        Line("drain: SynchroMesh rows/s end to end", Drain.RowsPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        Line("drain: seconds until the first row was stored", Drain.FirstStoredSeconds.ToString("F1", CultureInfo.InvariantCulture));
        Line("drain: rows/s from the first row stored", Drain.RowsPerSecondOnceConnected.ToString("N0", CultureInfo.InvariantCulture));
        foreach (var (process, megabytes) in Drain.PeakRssMegabytes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Line($"peak RSS (MB): {process}", megabytes.ToString("F0", CultureInfo.InvariantCulture));
        }

        if (Floors is { } floors)
        {
            Line("floor (a) 1 row/message rows/s", Rate(floors.OneRowPerMessage));
            Line("floor (b) 100 rows/message rows/s", Rate(floors.HundredRowsPerMessage));
            Line("floor (b) 100 rows/message, 2 consumers rows/s", Rate(floors.HundredRowsTwoConsumers));
            Line("floor (c) binary COPY rows/s", Rate(floors.BinaryCopy));
            Line("SynchroMesh / floor (a)", Ratio(floors.OneRowPerMessage));
            Line("SynchroMesh / floor (b)", Ratio(floors.HundredRowsPerMessage));
            Line("SynchroMesh / floor (c)", Ratio(floors.BinaryCopy));
        }

        if (Latency is { } latency)
        {
            Line("online: rows written (achieved rows/s)", $"{latency.Rows} ({latency.AchievedRowsPerSecond:F0})");
            Line("online: writes refused by a busy branch (503)", latency.Refused.ToString(CultureInfo.InvariantCulture));
            Line("online: branch commit to head office commit p50 ms", latency.P50Milliseconds.ToString("F0", CultureInfo.InvariantCulture));
            Line("online: p95 ms", latency.P95Milliseconds.ToString("F0", CultureInfo.InvariantCulture));
            Line("online: p99 ms", latency.P99Milliseconds.ToString("F0", CultureInfo.InvariantCulture));
            Line("online: of which at the branch until sent, p50 ms", latency.UntilSentP50Milliseconds.ToString("F0", CultureInfo.InvariantCulture));
            Line("online: of which at the branch until sent, p99 ms", latency.UntilSentP99Milliseconds.ToString("F0", CultureInfo.InvariantCulture));
        }

        return table.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    });

    private static string Rate(double rowsPerSecond) => rowsPerSecond.ToString("N0", CultureInfo.InvariantCulture);

    private string Ratio(double floor) => (Drain.RowsPerSecond / floor).ToString("P1", CultureInfo.InvariantCulture);
}
