namespace SynchroMesh.Contracts;

/// <summary>
/// Branch-internal event: the outbox is publishing a batch, so the batch's saga should start waiting for its ack
/// (and schedule the timeout that sends its unacked rows again).
/// </summary>
public record ProductBatchSent
{
    public required string BranchId { get; init; }
    public required Guid BatchId { get; init; }
    public required IReadOnlyList<ProductVersion> Products { get; init; }
}
