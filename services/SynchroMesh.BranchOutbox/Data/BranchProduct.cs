namespace SynchroMesh.BranchOutbox.Data;

/// <summary>A sales row at its branch, with the bookkeeping of its sync to the head office.</summary>
public sealed class BranchProduct : SaleRow
{
    public long Id { get; set; }

    /// <summary>
    /// Grows with every create, update, soft or hard delete, whoever makes it: the database gives it, from one sequence
    /// for the whole table. Each version must reach the head office.
    /// </summary>
    public long Version { get; set; }

    /// <summary>The version last published; below <see cref="Version"/> means the row waits to be sent.</summary>
    public long SentVersion { get; set; }

    /// <summary>The highest version the head office acked.</summary>
    public long AckedVersion { get; set; }

    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? AckedAt { get; set; }

    /// <summary>The batch the row was last sent in: whose ack timeout sends it again if no ack comes.</summary>
    public Guid? BatchId { get; set; }

    /// <summary>
    /// The W3C trace context of the request that last changed the row (null for a change made by another program):
    /// the outbox sends the row as part of that trace, resends included.
    /// </summary>
    public string? TraceParent { get; set; }

    public SyncState SyncState => SyncStates.Of(Version, SentVersion, AckedVersion);
}
