namespace SynchroMesh.FaultLab;

/// <summary>How long and how hard a <see cref="SoakRun"/> goes.</summary>
public sealed record SoakSettings(
    TimeSpan Duration,
    int Branches,
    double WritesPerSecondPerBranch,
    int Seed,
    TimeSpan AckTimeout,
    TimeSpan ConvergenceTimeout,
    int MaxSecondsBetweenFaults = 8);
