namespace SynchroMesh.HeadOfficeIngest.Data;

/// <summary>
/// Stores submitted versions in PostgreSQL with one statement for all of them, so two copies consumed at the same moment
/// cannot make two rows or let the older one win.
/// </summary>
public sealed class ProductStore(HeadOfficeDbContext db, TimeProvider clock) : IProductStore
{
    public Task<int> UpsertAsync(IReadOnlyList<ProductSubmitted> products, CancellationToken cancellationToken)
    {
        // Always in key order, so that two batches sharing rows lock them in the same order and cannot deadlock.
        var sorted = products.OrderBy(p => p.BranchId, StringComparer.Ordinal).ThenBy(p => p.ExternalId).ToList();
        var branchIds = sorted.Select(p => p.BranchId).ToArray();
        var externalIds = sorted.Select(p => p.ExternalId).ToArray();
        var versions = sorted.Select(p => p.Version).ToArray();
        var dates = sorted.Select(p => p.Date).ToArray();
        var names = sorted.Select(p => p.Product).ToArray();
        var regions = sorted.Select(p => p.Region).ToArray();
        var quantities = sorted.Select(p => (long)p.Qty).ToArray();
        var costs = sorted.Select(p => p.Cost).ToArray();
        var taxes = sorted.Select(p => p.Tax).ToArray();
        var createdAt = sorted.Select(p => p.CreatedAt.ToUniversalTime()).ToArray();
        var updatedAt = sorted.Select(p => p.UpdatedAt.ToUniversalTime()).ToArray();
        var deletedAt = sorted.Select(p => p.DeletedAt?.ToUniversalTime()).ToArray();
        var receivedAt = clock.GetUtcNow();
        return db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO head_office.products AS p
                (branch_id, external_id, version, date, product, region, qty, cost, tax,
                 created_at, updated_at, deleted_at, received_at)
            SELECT s.*, {receivedAt}
            FROM unnest({branchIds}, {externalIds}, {versions}, {dates}, {names}, {regions}, {quantities}, {costs},
                        {taxes}, {createdAt}, {updatedAt}, {deletedAt}) AS s
            ON CONFLICT (branch_id, external_id) DO UPDATE SET
                version = excluded.version, date = excluded.date, product = excluded.product,
                region = excluded.region, qty = excluded.qty, cost = excluded.cost, tax = excluded.tax,
                created_at = excluded.created_at, updated_at = excluded.updated_at,
                deleted_at = excluded.deleted_at, received_at = excluded.received_at
            WHERE p.version < excluded.version
            """, cancellationToken);
    }
}
