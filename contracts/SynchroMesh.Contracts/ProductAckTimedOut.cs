namespace SynchroMesh.Contracts;

/// <summary>
/// Scheduled by a branch's sync saga when it sends a version; delivered when no ack arrived in time.
/// </summary>
public record ProductAckTimedOut
{
    public required string BranchId { get; init; }
    public required long ExternalId { get; init; }
    public required long Version { get; init; }
}
