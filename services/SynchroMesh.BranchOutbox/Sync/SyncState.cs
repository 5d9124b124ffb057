namespace SynchroMesh.BranchOutbox.Sync;

/// <summary>
/// Where the current version of a row is in its trip to the head office. A row holds three versions: its current one
/// (every change takes the next from the database's sequence), the last one sent, and the highest one the head office
/// acked; the state is which of them have caught up with the current one. <see cref="Of"/> and the SQL conditions
/// below are the same rule, for a row in hand and for the statements on <c>branch.sync_rows</c>.
/// </summary>
public enum SyncState
{
    NotSent,
    Sent,
    Acked,
}

public static class SyncStates
{
    /// <summary>The current version waits to be sent.</summary>
    public const string NotSentSql = "sent_version < version";

    /// <summary>The current version was sent and waits for its ack.</summary>
    public const string SentSql = "sent_version >= version AND acked_version < version";

    /// <summary>The head office holds the current version (or a newer one).</summary>
    public const string AckedSql = "acked_version >= version";

    /// <summary>Not acked: waiting to be sent or waiting for an ack.</summary>
    public const string UnackedSql = "acked_version < version";

    public static SyncState Of(long version, long sentVersion, long ackedVersion) =>
        ackedVersion >= version ? SyncState.Acked
        : sentVersion >= version ? SyncState.Sent
        : SyncState.NotSent;
}
