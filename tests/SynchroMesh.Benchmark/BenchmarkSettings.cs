using System.Globalization;

namespace SynchroMesh.Benchmark;

/// <summary>What to measure, from the command line.</summary>
public sealed record BenchmarkSettings(
    int Branches,
    int RowsPerBranch,
    int UpdatedPercent,
    int DeletedPercent,
    IReadOnlyList<int> OnlineRates,
    int OnlineSeconds,
    bool Floors,
    bool Peer,
    string? JsonPath,
    bool Process = true,
    bool OnlineThroughSql = false,
    string? ChartsFolder = null,
    int TillsPerBranch = 32)
{
    public const string Usage = """
        usage: dotnet run --project tests/SynchroMesh.Benchmark -c Release -- [options]
          --branches N        branches recording a backlog while offline (default 4)
          --rows N            rows in each branch's backlog (default 10000)
          --mix C,U,D         percent of backlog rows left created, updated, deleted (default 80,15,5)
          --online-rate N,... rows per second across all branches, one latency phase a rate (default 200,1000; 0 skips them)
          --online-seconds N  how long each latency phase writes (default 30)
          --tills N           sales a branch takes at once in the latency phases (default 32); a due sale that
                              finds them all busy for a second is counted as not taken
          --online-writer W   api (the branch HTTP API, default) or sql (plain INSERTs, as a till's own software:
                              the outbox is woken only by the database's notification)
          --no-floors         skip the raw RabbitMQ/PostgreSQL floors
          --no-peer           skip the peer, PostgreSQL's logical replication draining the same backlog
          --no-process        skip the branch process's start-up and idle figures
          --json PATH         also write the results as JSON to PATH
          --charts DIR        also draw drain.svg (rows stored over time per branch) and latency.svg into DIR
        or: dotnet run --project tests/SynchroMesh.Benchmark -c Release -- --markdown-from PATH
          prints the figures of a report written by --json as the table of docs/performance.md
        """;

    public int TotalRows => Branches * RowsPerBranch;

    public static BenchmarkSettings Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var floors = true;
        var peer = true;
        var process = true;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--no-floors")
            {
                floors = false;
                continue;
            }

            if (name == "--no-peer")
            {
                peer = false;
                continue;
            }

            if (name == "--no-process")
            {
                process = false;
                continue;
            }

            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"unexpected argument '{name}'");
            }

            options[name[2..]] = args[++i];
        }

        var known = new[] { "branches", "rows", "mix", "online-rate", "online-seconds", "tills", "online-writer", "json", "charts" };
        if (options.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw new ArgumentException($"unknown option --{unknown}");
        }

        var mix = options.GetValueOrDefault("mix", "80,15,5").Split(',');
        if (mix.Length != 3 || !mix.All(m => int.TryParse(m, out var p) && p >= 0) || mix.Sum(int.Parse) != 100)
        {
            throw new ArgumentException("--mix must be three non-negative percentages adding up to 100, such as 80,15,5");
        }

        var writer = options.GetValueOrDefault("online-writer", "api");
        if (writer is not ("api" or "sql"))
        {
            throw new ArgumentException("--online-writer must be api or sql");
        }

        return new BenchmarkSettings(
            Branches: Positive(options, "branches", 4),
            RowsPerBranch: Positive(options, "rows", 10_000),
            UpdatedPercent: int.Parse(mix[1], CultureInfo.InvariantCulture),
            DeletedPercent: int.Parse(mix[2], CultureInfo.InvariantCulture),
            OnlineRates: Rates(options.GetValueOrDefault("online-rate", "200,1000")),
            OnlineSeconds: Positive(options, "online-seconds", 30),
            Floors: floors,
            Peer: peer,
            Process: process,
            JsonPath: options.GetValueOrDefault("json"),
            OnlineThroughSql: writer == "sql",
            ChartsFolder: options.GetValueOrDefault("charts"),
            TillsPerBranch: Positive(options, "tills", 32));
    }

    private static int[] Rates(string text)
    {
        var rates = text.Split(',');
        if (!rates.All(r => int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new ArgumentException($"--online-rate must be whole numbers separated by commas, such as 200,1000, not '{text}'");
        }

        return rates.Select(r => int.Parse(r, CultureInfo.InvariantCulture)).Where(r => r > 0).ToArray();
    }

    private static int Positive(Dictionary<string, string> options, string name, int fallback)
    {
        var value = NonNegative(options, name, fallback);
        return value > 0 ? value : throw new ArgumentException($"--{name} must be a positive whole number");
    }

    private static int NonNegative(Dictionary<string, string> options, string name, int fallback)
    {
        if (!options.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"--{name} must be a whole number, not '{text}'");
    }
}
