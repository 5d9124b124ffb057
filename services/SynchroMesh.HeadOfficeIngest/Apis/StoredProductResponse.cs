using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace SynchroMesh.HeadOfficeIngest.Apis;

/// <summary>A product as the head office holds it.</summary>
public sealed class StoredProductResponse : SaleRow
{
    [SetsRequiredMembers]
    private StoredProductResponse(StoredProduct row) : base(row)
    {
        BranchId = row.BranchId;
        ExternalId = row.ExternalId;
        Version = row.Version;
        ReceivedAt = row.ReceivedAt;
    }

    [JsonPropertyOrder(-1)]
    public string BranchId { get; }

    [JsonPropertyOrder(-1)]
    public long ExternalId { get; }

    [JsonPropertyOrder(-1)]
    public long Version { get; }

    public bool IsDeleted => DeletedAt is not null;
    public DateTimeOffset ReceivedAt { get; }

    public static StoredProductResponse From(StoredProduct row) => new(row);
}
