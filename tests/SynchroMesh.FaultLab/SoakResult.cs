using System.Text.Json;

namespace SynchroMesh.FaultLab;

/// <summary>What a soak did and what the invariant checker found after it.</summary>
public sealed record SoakResult(
    SoakSettings Settings,
    int Changes,
    IReadOnlyDictionary<string, int> Faults,
    IReadOnlyList<InvariantReport> Reports,
    TimeSpan ConvergedAfterLastFault,
    TimeSpan ConvergenceWait,
    IReadOnlyDictionary<string, int> SupervisorRecoveries)
{
    public int Lost => Reports.Sum(r => r.Lost);
    public int Duplicated => Reports.Sum(r => r.Duplicated);
    public int Stale => Reports.Sum(r => r.Stale);
    public int Stuck => Reports.Sum(r => r.Stuck) + Reports.Sum(r => r.Unacked);
    public bool IsClean => Reports.All(r => r.IsClean);

    public string Summary() =>
        $"soak {Settings.Duration} x {Settings.Branches} branches, {Changes} changes, {Faults.Values.Sum()} faults: " +
        string.Join(", ", Faults.OrderBy(f => f.Key).Select(f => $"{f.Key} {f.Value}")) + Environment.NewLine +
        $"lost {Lost}, duplicated {Duplicated}, stale {Stale}, stuck {Stuck}; " +
        $"converged {ConvergedAfterLastFault.TotalSeconds:F1} s after the last fault; supervisor recoveries: " +
        (SupervisorRecoveries.Count == 0 ? "none" : string.Join(", ", SupervisorRecoveries.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value}")));

    public string ToJson() => JsonSerializer.Serialize(new
    {
        durationSeconds = Settings.Duration.TotalSeconds,
        branches = Settings.Branches,
        seed = Settings.Seed,
        changes = Changes,
        faults = Faults,
        lost = Lost,
        duplicated = Duplicated,
        stale = Stale,
        stuck = Stuck,
        convergedSecondsAfterLastFault = Math.Round(ConvergedAfterLastFault.TotalSeconds, 1),
        supervisorRecoveries = SupervisorRecoveries,
        reports = Reports.Select(r => r.ToString()),
    }, new JsonSerializerOptions { WriteIndented = true });
}
