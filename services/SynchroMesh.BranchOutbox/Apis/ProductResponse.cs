using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace SynchroMesh.BranchOutbox.Apis;

/// <summary>A branch's product with its version and where that version is in its trip to the head office.</summary>
public sealed class ProductResponse : SaleRow
{
    [SetsRequiredMembers]
    private ProductResponse(BranchProduct row) : base(row)
    {
        Id = row.Id;
        Version = row.Version;
        SentVersion = row.SentVersion;
        AckedVersion = row.AckedVersion;
        SyncState = row.SyncState;
    }

    [JsonPropertyOrder(-1)]
    public long Id { get; }

    public long Version { get; }
    public long SentVersion { get; }
    public long AckedVersion { get; }
    public SyncState SyncState { get; }

    public static ProductResponse From(BranchProduct row) => new(row);
}
