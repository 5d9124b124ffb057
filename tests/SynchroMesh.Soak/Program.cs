using System.Globalization;
using SynchroMesh.FaultLab;

// The soak: every fault of the fault lab at random for a while, then the invariant checker's figures.
const string Usage = """
    usage: dotnet run --project tests/SynchroMesh.Soak -c Release -- [--minutes 10] [--branches 4] [--rate 5] [--seed 1]
      --minutes   how long faults and writes go on (a number, > 0)
      --branches  branch offices, each behind a link of its own (1 to 20)
      --rate      changes per second per branch, through the API and by plain SQL (> 0)
      --seed      seed of the faults' and the writes' random choices
    Needs the local servers (bash deploy/servers.sh start). Exit 0 when lost, duplicated, stale and stuck are all 0.
    """;

if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(Usage);
    return 0;
}

var known = new[] { "minutes", "branches", "rate", "seed" };
var options = new Dictionary<string, string>();
for (var i = 0; i < args.Length; i += 2)
{
    var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : "";
    if (!known.Contains(name) || i + 1 >= args.Length)
    {
        Console.Error.WriteLine(i + 1 >= args.Length && known.Contains(name)
            ? $"soak: {args[i]} needs a value"
            : $"soak: unknown argument '{args[i]}'");
        Console.Error.WriteLine(Usage);
        return 2;
    }

    options[name] = args[i + 1];
}

double Number(string name, double fallback, double min, double max)
{
    if (!options.TryGetValue(name, out var text))
    {
        return fallback;
    }

    if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
    {
        throw new ArgumentException($"--{name} '{text}' is not a number from {min} to {max}");
    }

    return value;
}

SoakSettings settings;
try
{
    settings = new SoakSettings(
        Duration: TimeSpan.FromMinutes(Number("minutes", 10, 0.1, 24 * 60)),
        Branches: (int)Number("branches", 4, 1, 20),
        WritesPerSecondPerBranch: Number("rate", 5, 0.1, 1000),
        Seed: (int)Number("seed", 1, int.MinValue, int.MaxValue),
        AckTimeout: TimeSpan.FromSeconds(10),
        ConvergenceTimeout: TimeSpan.FromMinutes(10));
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"soak: {e.Message}");
    Console.Error.WriteLine(Usage);
    return 2;
}

var result = await new SoakRun(settings, Console.Out).RunAsync();
Console.WriteLine(result.Summary());
Console.WriteLine(result.ToJson());
return result.IsClean ? 0 : 1;
