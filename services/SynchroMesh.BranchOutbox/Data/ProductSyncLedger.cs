using Microsoft.EntityFrameworkCore;
using SynchroMesh.BranchOutbox.StateMachines;
using SynchroMesh.Contracts;

namespace SynchroMesh.BranchOutbox.Data;

/// <summary>
/// Writes through the message's scoped <see cref="BranchDbContext"/>, so the statements run inside the saga
/// repository's transaction and commit or roll back with the saga's state. One statement per batch.
/// </summary>
/// <remarks>
/// <c>p.id = ANY(ids)</c> repeats the join on purpose: it lets the planner find the batch's rows through the primary
/// key. Given only the join with <c>unnest</c>, it hashed and scanned the whole table for every batch, a cost that grew
/// with the table (profiled: PostgreSQL's hash joins and heap scans were the largest CPU user of a drain).
/// The statements work on <see cref="SyncRows"/>: live rows and the tombstones of hard-deleted ones. A row another
/// program holds locked in an open transaction is skipped after a brief wait (<see cref="BriefLockWait"/>), or one
/// till's long transaction would hold up the acks of the whole batch: if that transaction commits, its row has a new
/// version to send anyway; if it rolls back, the outbox's backstop sends the row again.
/// </remarks>
public sealed class ProductSyncLedger(BranchDbContext db, TimeProvider clock) : IProductSyncLedger
{
    public Task<int> RecordAcksAsync(IReadOnlyList<ProductVersion> acked, CancellationToken cancellationToken)
    {
        var ids = acked.Select(p => p.ExternalId).ToArray();
        var versions = acked.Select(p => p.Version).ToArray();
        var now = clock.GetUtcNow();
        return BriefLockWait.UpdateAsync(db,
            $"""
            UPDATE branch.sync_rows AS p SET acked_version = a.version, acked_at = {now}
            FROM unnest({ids}, {versions}) AS a(id, version)
            WHERE p.id = ANY({ids}) AND p.id = a.id AND p.acked_version < a.version
            """,
            $"id = ANY({ids})",
            cancellationToken);
    }

    public Task<int> ResetUnackedAsync(Guid batchId, CancellationToken cancellationToken) =>
        BriefLockWait.UpdateAsync(db,
            $"""
            UPDATE branch.sync_rows AS p SET sent_version = p.acked_version
            WHERE p.batch_id = {batchId} AND p.acked_version < p.version AND p.acked_version < p.sent_version
            """,
            $"batch_id = {batchId}",
            cancellationToken);
}
