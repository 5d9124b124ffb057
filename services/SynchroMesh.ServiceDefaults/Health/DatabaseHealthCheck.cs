using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SynchroMesh.ServiceDefaults.Health;

/// <summary>Ready when the database is migrated and answers now.</summary>
public sealed class DatabaseHealthCheck<TContext>(TContext db, DatabaseReadiness readiness) : IHealthCheck
    where TContext : DbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.IsMigrated)
        {
            return HealthCheckResult.Unhealthy("database not migrated yet");
        }

        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("database not reachable");
    }
}
