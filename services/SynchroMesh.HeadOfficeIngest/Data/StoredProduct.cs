namespace SynchroMesh.HeadOfficeIngest.Data;

/// <summary>A branch's sales row as the head office holds it: one per (branch id, external id), latest version.</summary>
public sealed class StoredProduct
{
    public long Id { get; set; }
    public required string BranchId { get; set; }
    public long ExternalId { get; set; }
    public long Version { get; set; }
    public DateOnly Date { get; set; }
    public required string Product { get; set; }
    public required string Region { get; set; }
    public uint Qty { get; set; }
    public decimal Cost { get; set; }
    public float Tax { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>When the head office stored this version.</summary>
    public DateTimeOffset ReceivedAt { get; set; }
}
