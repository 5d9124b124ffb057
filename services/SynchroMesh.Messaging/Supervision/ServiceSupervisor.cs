using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SynchroMesh.Messaging.Supervision;

/// <summary>
/// The second line of defence against a service that stops making progress for a cause nobody foresaw: every
/// <see cref="SupervisionOptions.CheckInterval"/> it asks each <see cref="ISupervisedPart"/> what is wrong, and when a
/// problem outlasts the part's grace while the broker is reachable, it steps in. First it restarts the part in process
/// (its endpoints, or the bus); if the problem outlasts another grace, it fails <c>/health/live</c> so that whoever runs the process (the container's
/// restart policy, systemd) restarts it, and goes on restarting the part in process once a grace until it heals. A problem while the broker cannot be reached is waiting, not a wedge: the
/// clock starts again. Each step is logged with its reason, counted in a metric and kept in <see cref="SupervisionState"/>.
/// </summary>
public sealed partial class ServiceSupervisor(
    IEnumerable<ISupervisedPart> parts,
    IBrokerProbe broker,
    SupervisionState state,
    SupervisionMetrics metrics,
    IOptions<SupervisionOptions> options,
    TimeProvider clock,
    ILogger<ServiceSupervisor> logger) : BackgroundService
{
    private readonly Dictionary<string, Incident> _incidents = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await CheckAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogCheckFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One look at every part, and what it calls for.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        foreach (var part in parts)
        {
            var now = clock.GetUtcNow();
            var problem = part.Problem(now);
            if (problem is null)
            {
                if (_incidents.Remove(part.Name, out var ended))
                {
                    state.Healed(part.Name);
                    LogHealed(part.Name, now - ended.Since);
                }

                continue;
            }

            if (!_incidents.TryGetValue(part.Name, out var incident))
            {
                _incidents[part.Name] = incident = new Incident(now);
            }

            if (now - incident.LastStep < part.Grace)
            {
                continue;
            }

            if (!await broker.IsReachableAsync(cancellationToken))
            {
                incident.LastStep = now;
                continue;
            }

            // In process first; then ask for a process restart; then, for as long as nobody restarts the process (run by
            // hand, say), in process again once a grace, so that it still heals once the cause is gone.
            var action = incident.Steps == 1 ? RecoveryAction.RestartProcess : part.Recovery;
            LogSteppingIn(part.Name, now - incident.Since, problem, action);
            var outcome = action == RecoveryAction.RestartProcess
                ? $"{ServiceHealth.LivePath} fails from now on"
                : await part.RecoverAsync(cancellationToken);
            incident.Steps++;
            state.Recovered(new Recovery(now, part.Name, problem, action, outcome));
            metrics.Recovered(part.Name, action);
            LogOutcome(part.Name, action, outcome);

            // A restart in process is a new start for every part the bus carries.
            foreach (var other in _incidents.Values)
            {
                other.LastStep = clock.GetUtcNow();
            }
        }
    }

    private sealed class Incident(DateTimeOffset since)
    {
        public DateTimeOffset Since { get; } = since;
        public DateTimeOffset LastStep { get; set; } = since;
        public int Steps { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Supervisor: {Part} has made no progress for {Duration} while the broker is reachable ({Problem}); recovering by {Action}")]
    private partial void LogSteppingIn(string part, TimeSpan duration, string problem, RecoveryAction action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Supervisor: {Part}, {Action}: {Outcome}")]
    private partial void LogOutcome(string part, RecoveryAction action, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Supervisor: {Part} is making progress again after {Duration}")]
    private partial void LogHealed(string part, TimeSpan duration);

    [LoggerMessage(Level = LogLevel.Error, Message = "Supervisor: a check failed; the next one will try again")]
    private partial void LogCheckFailed(Exception ex);
}
