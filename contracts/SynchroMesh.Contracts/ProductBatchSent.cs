namespace SynchroMesh.Contracts;

/// <summary>
/// Branch-internal event: the outbox is publishing a batch, so the batch's saga should start waiting for its ack
/// (and schedule the timeout that sends its unacked rows again).
/// </summary>
/// <remarks>
/// Which rows are in the batch is recorded on the rows themselves (their batch id), so the event carries only their
/// number, which is all the saga needs.
/// </remarks>
public record ProductBatchSent
{
    public required string BranchId { get; init; }
    public required Guid BatchId { get; init; }
    /// <summary>Not required: an event still queued from a branch of an older release lists the products instead (read as 0).</summary>
    public int ProductCount { get; init; }
}
