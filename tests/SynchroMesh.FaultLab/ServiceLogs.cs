namespace SynchroMesh.FaultLab;

/// <summary>
/// Where the lab keeps the whole log of every service process it starts, so that a failure (in CI above all) can be
/// read afterwards: env <c>SYNCHROMESH_SERVICE_LOG_DIR</c>, else <c>TestResults/service-logs</c> in the checkout.
/// <c>deploy/test.sh</c> points it into the run's results folder.
/// </summary>
public static class ServiceLogs
{
    public static string Root { get; } = Environment.GetEnvironmentVariable("SYNCHROMESH_SERVICE_LOG_DIR") is { Length: > 0 } configured
        ? Path.GetFullPath(configured)
        : Path.Combine(RepositoryRoot.Path, "TestResults", "service-logs");

    /// <summary>A folder of its own for one system's services, named for the scenario that started it.</summary>
    public static string For(string scenario, string suffix)
    {
        var name = new string(scenario.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return Path.Combine(Root, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{name}-{suffix}");
    }
}
