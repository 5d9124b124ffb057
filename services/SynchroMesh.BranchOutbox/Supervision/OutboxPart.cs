using Microsoft.Extensions.Options;
using SynchroMesh.Messaging.Supervision;

namespace SynchroMesh.BranchOutbox.Supervision;

/// <summary>
/// The outbox: a problem when no pass has ended well for longer than <see cref="SupervisionOptions.OutboxGrace"/>, unless
/// its passes fail on the branch's own database (an outage it waits out). A pass runs at least every poll interval, rows
/// or not, whenever the bus is connected; so a long silence means a pass that never ends, passes that keep failing
/// against the broker, or a bus that does not connect although the broker can be reached. Recovered by restarting the
/// bus: a new connection and new channels for the outbox's sends.
/// </summary>
public sealed class OutboxPart(OutboxProgress progress, BusRestarter bus, IOptions<SupervisionOptions> options) : ISupervisedPart
{
    public string Name => "outbox";

    public TimeSpan Grace => options.Value.OutboxGrace;

    public RecoveryAction Recovery => RecoveryAction.RestartBus;

    public Task<string> RecoverAsync(CancellationToken cancellationToken) => bus.RestartAsync(cancellationToken);

    public string? Problem(DateTimeOffset now)
    {
        var lastSuccess = progress.LastSuccess;
        if (now - lastSuccess < Grace)
        {
            return null;
        }

        var failure = progress.LastFailure;
        if (failure is { Database: true } waiting && waiting.At > lastSuccess)
        {
            return null;
        }

        return $"no outbox pass ended well since {lastSuccess:u}; " + (failure is { } f && f.At > lastSuccess
            ? $"the last one failed at {f.At:u}: {f.Reason}"
            : "none failed either: a pass that never ends, or a bus that does not connect");
    }
}
