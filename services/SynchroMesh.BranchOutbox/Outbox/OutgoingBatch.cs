namespace SynchroMesh.BranchOutbox.Outbox;

/// <summary>One outbox pass's rows, as the two messages that carry them: to the head office and to the batch saga.</summary>
public sealed class OutgoingBatch(string branchId, Guid id, IReadOnlyList<BranchProduct> rows)
{
    public Guid Id { get; } = id;

    public IReadOnlyList<BranchProduct> Rows { get; } = rows;

    public ProductsSubmitted Submitted() => new()
    {
        BranchId = branchId,
        BatchId = Id,
        Products = Rows.Select(row => new ProductSubmitted
        {
            BranchId = branchId,
            ExternalId = row.Id,
            Version = row.Version,
            Date = row.Date,
            Product = row.Product,
            Region = row.Region,
            Qty = row.Qty,
            Cost = row.Cost,
            Tax = row.Tax,
            CreatedAt = row.CreatedAt,
            UpdatedAt = row.UpdatedAt,
            DeletedAt = row.DeletedAt,
        }).ToList(),
    };

    public ProductBatchSent Sent() => new()
    {
        BranchId = branchId,
        BatchId = Id,
        ProductCount = Rows.Count,
    };
}
