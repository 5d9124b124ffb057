namespace SynchroMesh.BranchOutbox.Supervision;

/// <summary>
/// The outbox: a problem from the first pass that fails against the broker until one ends well again, or once no pass
/// has ended at all for longer than the longest a healthy one takes (<see cref="Silence"/>). Failures on the branch's
/// own database are an outage it waits out, not a problem. The supervisor then gives it
/// <see cref="SupervisionOptions.OutboxGrace"/> from when it first saw the problem: passes that keep failing against a
/// reachable broker (a channel the broker rejects every publish on after a quorum queue's leader moved, say), a pass
/// that never ends, or a bus that does not connect although the broker can be reached. Recovered by restarting the
/// bus: a new connection and new channels for the outbox's sends.
/// </summary>
public sealed class OutboxPart(OutboxProgress progress, BusRestarter bus, IOptions<SupervisionOptions> options, IOptions<SyncOptions> sync)
    : ISupervisedPart
{
    public string Name => "outbox";

    public TimeSpan Grace => options.Value.OutboxGrace;

    public RecoveryAction Recovery => RecoveryAction.RestartBus;

    /// <summary>The longest a healthy pass and the wait after it take: its publishes' limit, the poll interval and the linger.</summary>
    public TimeSpan Silence => sync.Value.PublishTimeout + sync.Value.PollInterval + sync.Value.Linger;

    public Task<string> RecoverAsync(CancellationToken cancellationToken) => bus.RestartAsync(cancellationToken);

    public string? Problem(DateTimeOffset now)
    {
        var lastSuccess = progress.LastSuccess;
        if (progress.LastFailure is { } failure && failure.At > lastSuccess)
        {
            return failure.Database
                ? null
                : $"outbox passes failing since {progress.FailingSince:u}; the last at {failure.At:u}: {failure.Reason}";
        }

        return now - lastSuccess < Silence
            ? null
            : $"no outbox pass ended since {lastSuccess:u}, none failed either: a pass that never ends, or a bus that does not connect";
    }
}
