namespace SynchroMesh.Contracts;

/// <summary>
/// The head office has committed, for each listed row, that version (or a newer one): the answer to a
/// <see cref="ProductsSubmitted"/>, duplicates and stale versions included. Rejected items are not listed.
/// </summary>
public record ProductsAcked
{
    public required string BranchId { get; init; }
    public required Guid BatchId { get; init; }
    public required IReadOnlyList<ProductVersion> Products { get; init; }
}
