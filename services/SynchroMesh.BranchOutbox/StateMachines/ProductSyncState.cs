using MassTransit;

namespace SynchroMesh.BranchOutbox.StateMachines;

/// <summary>The sync state of one product of this branch: which version was sent, which was acked.</summary>
public sealed class ProductSyncState : SagaStateMachineInstance
{
    /// <summary>Derived from (branch id, external id) by <see cref="ProductSagaId"/>.</summary>
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public string BranchId { get; set; } = "";
    public long ExternalId { get; set; }
    public long SentVersion { get; set; }
    public long AckedVersion { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? AckedAt { get; set; }
    public int TimeoutCount { get; set; }

    /// <summary>The token of the pending ack timeout; a timeout carrying another token is stale and ignored.</summary>
    public Guid? AckTimeoutTokenId { get; set; }

    /// <summary>PostgreSQL's xmin: the optimistic concurrency token of the saga repository.</summary>
    public uint RowVersion { get; set; }
}
