using SynchroMesh.FaultLab;

// The soak: every fault of the fault lab at random for a while, then the invariant checker's figures.
//   dotnet run --project tests/SynchroMesh.Soak -c Release -- --minutes 10 --branches 4 --rate 5 --seed 1
var options = args.Chunk(2).Where(p => p.Length == 2).ToDictionary(p => p[0].TrimStart('-'), p => p[1]);
string Option(string name, string fallback) => options.GetValueOrDefault(name, fallback);

var settings = new SoakSettings(
    Duration: TimeSpan.FromMinutes(double.Parse(Option("minutes", "10"), System.Globalization.CultureInfo.InvariantCulture)),
    Branches: int.Parse(Option("branches", "4")),
    WritesPerSecondPerBranch: double.Parse(Option("rate", "5"), System.Globalization.CultureInfo.InvariantCulture),
    Seed: int.Parse(Option("seed", "1")),
    AckTimeout: TimeSpan.FromSeconds(10),
    ConvergenceTimeout: TimeSpan.FromMinutes(10));

var result = await new SoakRun(settings, Console.Out).RunAsync();
Console.WriteLine(result.Summary());
Console.WriteLine(result.ToJson());
return result.IsClean ? 0 : 1;
