using System.Diagnostics.CodeAnalysis;

namespace SynchroMesh.Contracts;

/// <summary>A sale with its own history: when it was created, last updated, and (soft-)deleted (<see cref="SaleLineRow"/>).</summary>
public abstract class SaleRow : SaleLineRow
{
    protected SaleRow()
    {
    }

    /// <inheritdoc cref="SaleLineRow(SaleLineRow)"/>
    [SetsRequiredMembers]
    protected SaleRow(SaleRow source) : base(source)
    {
        CreatedAt = source.CreatedAt;
        UpdatedAt = source.UpdatedAt;
        DeletedAt = source.DeletedAt;
    }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
}
