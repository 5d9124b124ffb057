using System.Diagnostics.CodeAnalysis;

namespace SynchroMesh.Contracts;

/// <summary>
/// What a sale is, as a table row holds it: the fields the branch's row, the head office's row and the sales report's
/// line all carry, declared once. <see cref="ProductSubmitted"/> carries the same fields on the wire (a spec keeps
/// them in step); each row type adds its own identity and bookkeeping.
/// </summary>
public abstract class SaleLineRow
{
    protected SaleLineRow()
    {
    }

    /// <summary>A copy of <paramref name="source"/>'s sale fields, for a view of a row that adds its own.</summary>
    [SetsRequiredMembers]
    protected SaleLineRow(SaleLineRow source)
    {
        Date = source.Date;
        Product = source.Product;
        Region = source.Region;
        Qty = source.Qty;
        Cost = source.Cost;
        Tax = source.Tax;
    }

    public DateOnly Date { get; set; }
    public required string Product { get; set; }
    public required string Region { get; set; }
    public uint Qty { get; set; }
    public decimal Cost { get; set; }

    /// <summary>The tax rate (0.2 is 20 %) on qty × cost.</summary>
    public float Tax { get; set; }
}
