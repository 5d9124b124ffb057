using ScottPlot;

namespace SynchroMesh.Benchmark;

/// <summary>
/// The pictures of a run (SVG, drawn with ScottPlot): rows stored at the head office over time per branch during the
/// drain, and the spread of the online latency at each rate.
/// </summary>
public static class BenchmarkCharts
{
    private const int Width = 900;
    private const int Height = 480;

    /// <summary>Writes <c>drain.svg</c> and, when online phases ran, <c>latency.svg</c> into <paramref name="folder"/>.</summary>
    public static IReadOnlyList<string> Write(string folder, DrainResult drain, IReadOnlyList<LatencyResult> latencies)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string> { WriteDrain(Path.Combine(folder, "drain.svg"), drain) };
        if (latencies.Count > 0)
        {
            written.Add(WriteLatency(Path.Combine(folder, "latency.svg"), latencies));
        }

        return written;
    }

    private static string WriteDrain(string path, DrainResult drain)
    {
        var plot = new Plot();
        foreach (var (branch, seconds) in drain.StoredAtSeconds.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            // Every row is one step up; a point per row would draw the same line with thousands of markers.
            var line = plot.Add.ScatterLine(seconds, Enumerable.Range(1, seconds.Length).Select(n => (double)n).ToArray());
            line.LegendText = branch;
        }

        plot.Title($"Drain: {drain.Rows:N0} rows, {drain.RowsPerSecond:N0} rows/s");
        plot.XLabel("seconds since the links opened");
        plot.YLabel("rows stored at the head office");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SaveSvg(path, Width, Height);
        return path;
    }

    private static string WriteLatency(string path, IReadOnlyList<LatencyResult> latencies)
    {
        var plot = new Plot();
        foreach (var latency in latencies)
        {
            var sorted = latency.SortedMilliseconds;
            var percent = Enumerable.Range(1, sorted.Count).Select(n => 100.0 * n / sorted.Count).ToArray();
            var line = plot.Add.ScatterLine(sorted.ToArray(), percent);
            line.LegendText = $"{latency.RowsPerSecond:N0} rows/s: p50 {latency.P50Milliseconds:F0}, p99 {latency.P99Milliseconds:F0} ms";
        }

        plot.Title("Online: branch commit to head office commit");
        plot.XLabel("milliseconds");
        plot.YLabel("% of rows at or under");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SaveSvg(path, Width, Height);
        return path;
    }
}
