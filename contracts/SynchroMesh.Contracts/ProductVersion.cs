namespace SynchroMesh.Contracts;

/// <summary>One version of one of a branch's rows: an item of a batch's bookkeeping.</summary>
public record ProductVersion
{
    public required long ExternalId { get; init; }
    public required long Version { get; init; }
}
