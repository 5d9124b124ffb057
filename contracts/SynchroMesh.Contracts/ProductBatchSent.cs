namespace SynchroMesh.Contracts;

/// <summary>
/// Branch-internal event: the outbox is publishing a batch, so the batch's saga should start waiting for its ack
/// (and schedule the timeout that sends its unacked rows again).
/// </summary>
/// <remarks>
/// Which rows are in the batch is recorded on the rows themselves (their batch id), so the event carries only their
/// number: it used to list every product's version, parsed again by the saga only to count them.
/// </remarks>
public record ProductBatchSent
{
    public required string BranchId { get; init; }
    public required Guid BatchId { get; init; }
    /// <summary>Absent (0) in events from versions that listed the products instead.</summary>
    public int ProductCount { get; init; }
}
