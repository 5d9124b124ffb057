namespace SynchroMesh.HeadOfficeIngest.Data;

/// <summary>The latest heartbeat of a branch: its backlog as it reported it, and when the head office heard it.</summary>
public sealed class BranchHeartbeatRecord
{
    public required string BranchId { get; set; }

    /// <summary>When the branch took the figures (its clock).</summary>
    public DateTimeOffset ReportedAt { get; set; }

    public TimeSpan Interval { get; set; }
    public long NotSent { get; set; }
    public long WaitingForAck { get; set; }
    public DateTimeOffset? OldestUnackedChangeAt { get; set; }
    public DateTimeOffset? NewestChangeAt { get; set; }

    /// <summary>When the head office received it (its clock).</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>
    /// When the head office first heard the branch after a silence of three heartbeat intervals or more, or ever
    /// (its clock): how long the branch has been online.
    /// </summary>
    public DateTimeOffset OnlineSince { get; set; }
}
