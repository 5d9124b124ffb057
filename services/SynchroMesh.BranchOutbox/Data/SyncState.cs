namespace SynchroMesh.BranchOutbox.Data;

/// <summary>Where the current version of a row is in its trip to the head office.</summary>
public enum SyncState
{
    NotSent,
    Sent,
    Acked,
}
