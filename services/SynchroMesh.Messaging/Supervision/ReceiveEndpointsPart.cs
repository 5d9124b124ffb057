namespace SynchroMesh.Messaging.Supervision;

/// <summary>
/// The bus's receive endpoints: a problem while any of them is not Ready (Healthy, in MassTransit's words); recovered by
/// restarting those (<see cref="EndpointRestarter"/>).
/// </summary>
public sealed class ReceiveEndpointsPart(IBusControl bus, EndpointRestarter restarter, IOptions<SupervisionOptions> options) : ISupervisedPart
{
    public string Name => "receive-endpoints";

    public TimeSpan Grace => options.Value.EndpointGrace;

    public RecoveryAction Recovery => RecoveryAction.RestartEndpoints;

    public Task<string> RecoverAsync(CancellationToken cancellationToken) => restarter.RestartNotReadyAsync(cancellationToken);

    public string? Problem(DateTimeOffset now)
    {
        var health = bus.CheckHealth();
        var notReady = health.Endpoints
            .Where(e => e.Value.Status != BusHealthStatus.Healthy)
            .Select(e => $"{e.Key} {e.Value.Status}" + (string.IsNullOrWhiteSpace(e.Value.Description) ? "" : $" ({e.Value.Description})"))
            .ToList();
        if (notReady.Count > 0)
        {
            return "not ready: " + string.Join("; ", notReady);
        }

        return health.Status == BusHealthStatus.Healthy ? null : $"bus {health.Status}: {health.Description}";
    }
}
