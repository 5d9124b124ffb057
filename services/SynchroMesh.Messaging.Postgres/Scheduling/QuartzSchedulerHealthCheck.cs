using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SynchroMesh.Messaging.Postgres.Scheduling;

/// <summary>Whether the bus's Quartz scheduler is running, and why not while it is not.</summary>
internal sealed class QuartzSchedulerStatus
{
    volatile bool _started;
    volatile string? _lastError;

    public bool IsStarted => _started;
    public string? LastError => _lastError;

    public void Started()
    {
        _lastError = null;
        _started = true;
    }

    public void Failed(string reason) => _lastError = reason;

    public void Stopped() => _started = false;
}

/// <summary>
/// Ready (tag <c>ready</c>) once the scheduler is running: until then no scheduled message (an ack timeout, say)
/// would fire.
/// </summary>
internal sealed class QuartzSchedulerHealthCheck : IHealthCheck
{
    readonly QuartzSchedulerStatus _status;
    readonly PostgresQuartzSchedulerOptions _options;

    public QuartzSchedulerHealthCheck(QuartzSchedulerStatus status, PostgresQuartzSchedulerOptions options)
    {
        _status = status;
        _options = options;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_status.IsStarted)
            return Task.FromResult(HealthCheckResult.Healthy());

        var reason = _status.LastError is { } error ? $": {error}" : "";
        return Task.FromResult(HealthCheckResult.Unhealthy($"Quartz scheduler {_options.SchedulerName} not started yet{reason}"));
    }
}
