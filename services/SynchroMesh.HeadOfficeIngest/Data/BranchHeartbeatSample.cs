namespace SynchroMesh.HeadOfficeIngest.Data;

/// <summary>
/// A branch's backlog and lag at one moment, kept for the console's charts: at most one a branch per
/// <see cref="ConsoleOptions.HistoryInterval"/>, removed after <see cref="ConsoleOptions.HistoryRetention"/>.
/// </summary>
public sealed class BranchHeartbeatSample
{
    public long Id { get; set; }
    public required string BranchId { get; set; }

    /// <summary>When the head office received the heartbeat (its clock).</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>Rows not acked yet, as the branch reported.</summary>
    public long Backlog { get; set; }

    /// <summary>How long the oldest change not acked had waited when the branch reported, in seconds (0: none waiting).</summary>
    public double LagSeconds { get; set; }
}
