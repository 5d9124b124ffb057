namespace SynchroMesh.HeadOfficeIngest.Data;

/// <summary>
/// One sale as the sales report sees it: a projection of a stored product, kept by
/// <see cref="Consumers.SalesReportConsumer"/> at the newest version it was told of.
/// </summary>
public sealed class SalesLine
{
    public required string BranchId { get; set; }
    public long ExternalId { get; set; }
    public long Version { get; set; }
    public DateOnly Date { get; set; }
    public required string Product { get; set; }
    public required string Region { get; set; }
    public uint Qty { get; set; }
    public decimal Cost { get; set; }

    /// <summary>The tax rate (0.2 is 20 %) on qty × cost.</summary>
    public float Tax { get; set; }

    public bool IsDeleted { get; set; }
}
