namespace SynchroMesh.HeadOfficeIngest.Data;

/// <summary>A branch's sales row as the head office holds it: one per (branch id, external id), latest version.</summary>
public sealed class StoredProduct : SaleRow
{
    public long Id { get; set; }
    public required string BranchId { get; set; }
    public long ExternalId { get; set; }
    public long Version { get; set; }

    /// <summary>When the head office stored this version.</summary>
    public DateTimeOffset ReceivedAt { get; set; }
}
