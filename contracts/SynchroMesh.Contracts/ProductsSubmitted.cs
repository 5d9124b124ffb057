namespace SynchroMesh.Contracts;

/// <summary>
/// A batch of a branch's changed rows, each at its latest version, published by the branch's outbox. The head
/// office stores each idempotently on (branch id, external id), exactly as a <see cref="ProductSubmitted"/>, and
/// answers with one <see cref="ProductsAcked"/>.
/// </summary>
public record ProductsSubmitted
{
    public required string BranchId { get; init; }

    /// <summary>The batch's id at its branch: the correlation of its ack and of the branch's batch saga.</summary>
    public required Guid BatchId { get; init; }

    /// <summary>Every item carries the same <see cref="BranchId"/>; an item of another branch is rejected.</summary>
    public required IReadOnlyList<ProductSubmitted> Products { get; init; }
}
