namespace SynchroMesh.Contracts;

/// <summary>
/// A branch's periodic word to the head office while its link is up: how much it still has to send and how new its
/// newest change is, so that the head office can say how far behind each branch is. Sent with a time to live; a
/// heartbeat that could not be delivered in time is worthless and dropped.
/// </summary>
public record BranchHeartbeat
{
    /// <summary>
    /// Heartbeats a branch may miss before the head office shows it offline. It is also how long a heartbeat lives on
    /// its way: one that old is news of a branch already shown offline.
    /// </summary>
    public const int MissedBeforeOffline = 3;

    public required string BranchId { get; init; }

    /// <summary>When the branch took these figures (its own clock).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>How often the branch sends a heartbeat while online (see <see cref="MissedBeforeOffline"/>).</summary>
    public required TimeSpan Interval { get; init; }

    /// <summary>Rows whose current version has not been sent yet.</summary>
    public required long NotSent { get; init; }

    /// <summary>Rows sent and waiting for the head office's ack.</summary>
    public required long WaitingForAck { get; init; }

    /// <summary>The oldest change not acked yet (null when all is acked).</summary>
    public DateTimeOffset? OldestUnackedChangeAt { get; init; }

    /// <summary>The branch's newest change of any row (null when it has none).</summary>
    public DateTimeOffset? NewestChangeAt { get; init; }
}
