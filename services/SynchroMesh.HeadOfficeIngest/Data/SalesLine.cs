namespace SynchroMesh.HeadOfficeIngest.Data;

/// <summary>
/// One sale as the sales report sees it: a projection of a stored product, kept by
/// <see cref="Consumers.SalesReportConsumer"/> at the newest version it was told of.
/// </summary>
public sealed class SalesLine : SaleLineRow
{
    public required string BranchId { get; set; }
    public long ExternalId { get; set; }
    public long Version { get; set; }

    public bool IsDeleted { get; set; }
}
