using Microsoft.EntityFrameworkCore;
using SynchroMesh.Contracts;

namespace SynchroMesh.HeadOfficeIngest.Data;

/// <summary>Stores submitted versions idempotently on (branch id, external id).</summary>
public sealed class ProductStore(HeadOfficeDbContext db, TimeProvider clock)
{
    /// <summary>
    /// Inserts a new row, or overwrites the stored one when <paramref name="message"/> is newer; an older or equal
    /// version leaves the row alone. One statement, so two copies consumed at the same moment cannot make two
    /// rows or let the older one win. Returns whether anything was written.
    /// </summary>
    public async Task<bool> UpsertAsync(ProductSubmitted message, CancellationToken cancellationToken)
    {
        var receivedAt = clock.GetUtcNow();
        var written = await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO head_office.products AS p
                (branch_id, external_id, version, date, product, region, qty, cost, tax,
                 created_at, updated_at, deleted_at, received_at)
            VALUES
                ({message.BranchId}, {message.ExternalId}, {message.Version}, {message.Date}, {message.Product},
                 {message.Region}, {(long)message.Qty}, {message.Cost}, {message.Tax},
                 {message.CreatedAt.ToUniversalTime()}, {message.UpdatedAt.ToUniversalTime()},
                 {message.DeletedAt?.ToUniversalTime()}, {receivedAt})
            ON CONFLICT (branch_id, external_id) DO UPDATE SET
                version = excluded.version, date = excluded.date, product = excluded.product,
                region = excluded.region, qty = excluded.qty, cost = excluded.cost, tax = excluded.tax,
                created_at = excluded.created_at, updated_at = excluded.updated_at,
                deleted_at = excluded.deleted_at, received_at = excluded.received_at
            WHERE p.version < excluded.version
            """, cancellationToken);
        return written > 0;
    }
}
