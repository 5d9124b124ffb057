using System.Globalization;

namespace SynchroMesh.Benchmark;

/// <summary>What the head-office capacity mode measures, from the command line.</summary>
public sealed record CapacitySettings(int Senders, int RowsPerSender, int RowsPerBatch, IReadOnlyList<int> Replicas, IReadOnlyList<string> Brokers, string? JsonPath)
{
    public const string Usage = """
        usage: dotnet run --project tests/SynchroMesh.Benchmark -c Release -- --capacity [options]
          --senders N       branches whose batches wait in the ingest queue at once (default 50)
          --rows N          rows from each of them (default 2000)
          --batch N         rows per batch message (default 100, as floor (b))
          --replicas L      head-office replica counts to measure, comma-separated (default 1,2,3)
          --brokers L       single (the one node, classic queues), cluster (three nodes, quorum queues) or both
                            (default single,cluster; the cluster is deploy/servers.sh start-cluster's)
          --json PATH       also write the results as JSON to PATH
        """;

    public int TotalRows => Senders * RowsPerSender;

    /// <summary>The same rows in the terms of the other modes: every sender a branch, the default mix of changes.</summary>
    public BenchmarkSettings AsBenchmark() =>
        new(Senders, RowsPerSender, UpdatedPercent: 15, DeletedPercent: 5, OnlineRates: [], OnlineSeconds: 0, Floors: true, Peer: false, JsonPath: null);

    public static CapacitySettings Parse(IReadOnlyList<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }

            options[args[i][2..]] = args[++i];
        }

        var known = new[] { "senders", "rows", "batch", "replicas", "brokers", "json" };
        if (options.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw new ArgumentException($"unknown option --{unknown}");
        }

        var replicas = options.GetValueOrDefault("replicas", "1,2,3").Split(',')
            .Select(r => int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 8
                ? n
                : throw new ArgumentException($"--replicas takes counts from 1 to 8, not '{r}'"))
            .ToArray();
        var brokers = options.GetValueOrDefault("brokers", "single,cluster").Split(',')
            .Select(b => b is "single" or "cluster" ? b : throw new ArgumentException($"--brokers takes single and cluster, not '{b}'"))
            .ToArray();
        return new CapacitySettings(
            Senders: Positive(options, "senders", 50),
            RowsPerSender: Positive(options, "rows", 2_000),
            RowsPerBatch: Positive(options, "batch", 100),
            Replicas: replicas,
            Brokers: brokers,
            JsonPath: options.GetValueOrDefault("json"));
    }

    private static int Positive(Dictionary<string, string> options, string name, int fallback) =>
        !options.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw new ArgumentException($"--{name} must be a positive whole number, not '{text}'");
}
