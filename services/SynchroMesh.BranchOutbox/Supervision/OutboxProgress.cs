namespace SynchroMesh.BranchOutbox.Supervision;

/// <summary>When the outbox last finished a pass, and how its last failed pass failed: what <see cref="OutboxPart"/> reads.</summary>
public sealed class OutboxProgress(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private DateTimeOffset _lastSuccess = clock.GetUtcNow();
    private (DateTimeOffset At, string Reason, bool Database)? _lastFailure;

    public DateTimeOffset LastSuccess
    {
        get
        {
            lock (_gate)
            {
                return _lastSuccess;
            }
        }
    }

    /// <summary>A pass ended as it should, whether it found rows to send or not.</summary>
    public void PassSucceeded()
    {
        lock (_gate)
        {
            _lastSuccess = clock.GetUtcNow();
        }
    }

    /// <param name="database">Whether the branch's own database failed it (an outage the outbox waits out, not a wedge).</param>
    public void PassFailed(string reason, bool database)
    {
        lock (_gate)
        {
            _lastFailure = (clock.GetUtcNow(), reason, database);
        }
    }

    public (DateTimeOffset At, string Reason, bool Database)? LastFailure
    {
        get
        {
            lock (_gate)
            {
                return _lastFailure;
            }
        }
    }
}
