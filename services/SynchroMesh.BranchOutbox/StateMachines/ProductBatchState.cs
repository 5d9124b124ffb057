namespace SynchroMesh.BranchOutbox.StateMachines;

/// <summary>
/// One batch of this branch's rows on its way to the head office. Each row's own sent and acked versions live on
/// the row (<c>branch.products</c>); the batch holds what is shared: when it left and its one ack timeout.
/// </summary>
public sealed class ProductBatchState : SagaStateMachineInstance
{
    /// <summary>The batch id the outbox gave the batch.</summary>
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public string BranchId { get; set; } = "";
    public int ProductCount { get; set; }
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>The token of the pending ack timeout; a timeout carrying another token is stale and ignored.</summary>
    public Guid? AckTimeoutTokenId { get; set; }

    /// <summary>PostgreSQL's xmin: the optimistic concurrency token of the saga repository.</summary>
    public uint RowVersion { get; set; }
}
