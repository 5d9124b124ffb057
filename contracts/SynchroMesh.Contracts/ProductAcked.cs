namespace SynchroMesh.Contracts;

/// <summary>
/// The head office has committed <see cref="Version"/> (or a newer one) of a branch's row. Published for
/// duplicates and stale versions too, so that a branch whose ack was lost learns it on the resend.
/// </summary>
public record ProductAcked
{
    public required string BranchId { get; init; }
    public required long ExternalId { get; init; }
    public required long Version { get; init; }
}
