namespace SynchroMesh.Contracts;

/// <summary>A sale with its own history: when it was created, last updated, and (soft-)deleted (<see cref="SaleLineRow"/>).</summary>
public abstract class SaleRow : SaleLineRow
{
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
}
