using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SynchroMesh.BranchOutbox.Data;

/// <summary>
/// Runs a bookkeeping update that waits for row locks only briefly. The sync's own writers lock a row for
/// milliseconds (the outbox marking a batch sent while its ack, which may overtake it, is recorded): those are
/// waited for, or an ack would be lost to a lock of our own. A row another program holds in an open transaction is
/// given up after <see cref="Patience"/>: the update runs again skipping locked rows, and the callers say what
/// becomes of a skipped row (it is always sent again in time).
/// </summary>
public static class BriefLockWait
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    private const string Savepoint = "brief_lock_wait";

    /// <param name="waiting">The update, waiting for locks.</param>
    /// <param name="skippingLocked">The same update, leaving out rows locked by others (<c>FOR UPDATE SKIP LOCKED</c>).</param>
    public static async Task<int> UpdateAsync(
        DbContext db, FormattableString waiting, FormattableString skippingLocked, CancellationToken cancellationToken)
    {
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            // One round trip: the savepoint, a lock timeout local to it, the update, the timeout set back. A lock
            // timeout aborts the statements after it; rolling back to the savepoint ends the abort and the setting.
            var patient = FormattableStringFactory.Create(
                $"SAVEPOINT {Savepoint}; SET LOCAL lock_timeout = '{(int)Patience.TotalMilliseconds}ms'; {waiting.Format}; " +
                $"SET LOCAL lock_timeout TO DEFAULT; RELEASE SAVEPOINT {Savepoint}",
                waiting.GetArguments());
            int updated;
            try
            {
                updated = await db.Database.ExecuteSqlInterpolatedAsync(patient, cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                await db.Database.ExecuteSqlRawAsync($"ROLLBACK TO SAVEPOINT {Savepoint}", cancellationToken);
                updated = await db.Database.ExecuteSqlInterpolatedAsync(skippingLocked, cancellationToken);
            }

            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }

            return updated;
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }
    }
}
