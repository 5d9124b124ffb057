namespace SynchroMesh.Contracts;

/// <summary>
/// The head office holds each listed product at that version or a newer one: published by the ingest after it
/// commits a branch's batch (duplicates included, so that a redelivered batch publishes it again). Subscribe to it to
/// build anything on the head office's data: a projection applies a version only if it is newer than the one it holds.
/// </summary>
public record ProductsStored
{
    public required string BranchId { get; init; }

    /// <summary>The batch at its branch, as in <see cref="ProductsSubmitted.BatchId"/>.</summary>
    public required Guid BatchId { get; init; }

    public required IReadOnlyList<ProductSubmitted> Products { get; init; }
}
