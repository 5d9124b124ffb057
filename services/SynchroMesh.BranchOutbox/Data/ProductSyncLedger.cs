using Microsoft.EntityFrameworkCore;
using SynchroMesh.BranchOutbox.StateMachines;

namespace SynchroMesh.BranchOutbox.Data;

/// <summary>
/// Writes through the message's scoped <see cref="BranchDbContext"/>, so the statements run inside the saga
/// repository's transaction and commit or roll back with the saga's state.
/// </summary>
public sealed class ProductSyncLedger(BranchDbContext db, TimeProvider clock) : IProductSyncLedger
{
    public Task RecordAckAsync(long externalId, long version, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE branch.products SET acked_version = {version}, acked_at = {clock.GetUtcNow()}
            WHERE id = {externalId} AND acked_version < {version}
            """, cancellationToken);

    public Task ResetToNotSentAsync(long externalId, long version, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE branch.products SET sent_version = acked_version
            WHERE id = {externalId} AND sent_version = {version} AND acked_version < {version}
            """, cancellationToken);
}
