namespace SynchroMesh.BranchOutbox.Supervision;

/// <summary>When the outbox last finished a pass, and how its last failed pass failed: what <see cref="OutboxPart"/> reads.</summary>
public sealed class OutboxProgress(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private DateTimeOffset _lastSuccess = clock.GetUtcNow();
    private (DateTimeOffset At, string Reason, bool Database)? _lastFailure;
    private DateTimeOffset? _failingSince;

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
            _failingSince = null;
        }
    }

    /// <param name="database">Whether the branch's own database failed it (an outage the outbox waits out, not a wedge).</param>
    public void PassFailed(string reason, bool database)
    {
        lock (_gate)
        {
            _lastFailure = (clock.GetUtcNow(), reason, database);
            _failingSince ??= _lastFailure.Value.At;
        }
    }

    /// <summary>When the first pass failed of those that have failed since the last one ended well; null after a success.</summary>
    public DateTimeOffset? FailingSince
    {
        get
        {
            lock (_gate)
            {
                return _failingSince;
            }
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
