using SynchroMesh.HeadOfficeIngest.Data;

namespace SynchroMesh.HeadOfficeIngest.Apis;

/// <summary>A product as the head office holds it.</summary>
public sealed record StoredProductResponse(
    string BranchId,
    long ExternalId,
    long Version,
    DateOnly Date,
    string Product,
    string Region,
    uint Qty,
    decimal Cost,
    float Tax,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeletedAt,
    bool IsDeleted,
    DateTimeOffset ReceivedAt)
{
    public static StoredProductResponse From(StoredProduct p) => new(
        p.BranchId, p.ExternalId, p.Version, p.Date, p.Product, p.Region, p.Qty, p.Cost, p.Tax,
        p.CreatedAt, p.UpdatedAt, p.DeletedAt, p.DeletedAt is not null, p.ReceivedAt);
}
