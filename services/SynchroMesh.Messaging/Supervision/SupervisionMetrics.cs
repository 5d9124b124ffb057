using System.Diagnostics.Metrics;

namespace SynchroMesh.Messaging.Supervision;

/// <summary>The supervisor's recoveries as a metric (meter <c>SynchroMesh</c>), tagged with the part and the action.</summary>
public sealed class SupervisionMetrics
{
    private readonly Counter<long> _recoveries;

    public SupervisionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ServiceDefaultsExtensions.TelemetryName);
        _recoveries = meter.CreateCounter<long>("synchromesh.supervisor.recoveries", "{recovery}",
            "Times the supervisor stepped in for a part without progress: a bus restart, or failing /health/live");
    }

    public void Recovered(string part, RecoveryAction action) =>
        _recoveries.Add(1, new KeyValuePair<string, object?>("synchromesh.part", part), new KeyValuePair<string, object?>("synchromesh.action", action.ToString()));
}
