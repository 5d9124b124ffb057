namespace SynchroMesh.Contracts;

/// <summary>
/// What a sale is, as a table row holds it: the fields the branch's row, the head office's row and the sales report's
/// line all carry, declared once. <see cref="ProductSubmitted"/> carries the same fields on the wire (a spec keeps
/// them in step); each row type adds its own identity and bookkeeping.
/// </summary>
public abstract class SaleLineRow
{
    public DateOnly Date { get; set; }
    public required string Product { get; set; }
    public required string Region { get; set; }
    public uint Qty { get; set; }
    public decimal Cost { get; set; }

    /// <summary>The tax rate (0.2 is 20 %) on qty × cost.</summary>
    public float Tax { get; set; }
}
