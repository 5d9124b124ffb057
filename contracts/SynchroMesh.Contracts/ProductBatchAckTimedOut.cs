namespace SynchroMesh.Contracts;

/// <summary>Branch-internal, scheduled: a batch's ack did not come in time; its unacked rows go back to the outbox.</summary>
public record ProductBatchAckTimedOut
{
    public required string BranchId { get; init; }
    public required Guid BatchId { get; init; }
}
