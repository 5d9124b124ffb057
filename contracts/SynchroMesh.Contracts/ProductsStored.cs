namespace SynchroMesh.Contracts;

/// <summary>
/// The head office holds each listed product of a branch at that version or a newer one: published by the ingest
/// after it commits a branch's batch (duplicates included, so that a redelivered batch publishes it again). Subscribe
/// to it to build anything on the head office's data. It names the rows, it does not carry them (the batch's data
/// would cross the broker twice): read them from the head office (<c>head_office.products</c>, or
/// <c>GET /branches/{branchId}/products/{externalId}</c>), where they are at that version or newer.
/// </summary>
public record ProductsStored
{
    public required string BranchId { get; init; }

    /// <summary>The batch at its branch, as in <see cref="ProductsSubmitted.BatchId"/>.</summary>
    public required Guid BatchId { get; init; }

    public required IReadOnlyList<ProductVersion> Products { get; init; }
}
