using SynchroMesh.BranchOutbox.Data;
using SynchroMesh.BranchOutbox.Sync;

namespace SynchroMesh.BranchOutbox.Apis;

/// <summary>A branch's product with its version and where that version is in its trip to the head office.</summary>
public sealed record ProductResponse(
    long Id,
    DateOnly Date,
    string Product,
    string Region,
    uint Qty,
    decimal Cost,
    float Tax,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeletedAt,
    long Version,
    long SentVersion,
    long AckedVersion,
    SyncState SyncState)
{
    public static ProductResponse From(BranchProduct p) => new(
        p.Id, p.Date, p.Product, p.Region, p.Qty, p.Cost, p.Tax, p.CreatedAt, p.UpdatedAt, p.DeletedAt,
        p.Version, p.SentVersion, p.AckedVersion, p.SyncState);
}
