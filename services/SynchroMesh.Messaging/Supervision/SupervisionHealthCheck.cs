using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SynchroMesh.Messaging.Supervision;

/// <summary>Part of <c>/health/live</c>: unhealthy once the supervisor asks for the process to be restarted.</summary>
public sealed class SupervisionHealthCheck(SupervisionState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.RestartNeeded is { } reason
            ? HealthCheckResult.Unhealthy($"in-process recovery did not help, restart the process: {reason}")
            : HealthCheckResult.Healthy());
}
