namespace SynchroMesh.Contracts;

/// <summary>
/// Branch-internal event: the branch's outbox has published <see cref="Version"/> of a row to the head office,
/// so its sync saga should start waiting for the ack.
/// </summary>
public record ProductSent
{
    public required string BranchId { get; init; }
    public required long ExternalId { get; init; }
    public required long Version { get; init; }
}
