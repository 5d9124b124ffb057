using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Npgsql;

namespace SynchroMesh.BranchOutbox.Sync;

/// <summary>
/// Runs one of <see cref="SyncLedger"/>'s updates, waiting for row locks only briefly. The sync's own writers lock a row for
/// milliseconds (the outbox marking a batch sent while its ack, which may overtake it, is recorded): those are
/// waited for, or an ack would be lost to a lock of our own. A row another program holds in an open transaction is
/// given up after <see cref="Patience"/>: the update runs again skipping locked rows, and the callers say what
/// becomes of a skipped row (it is always sent again in time).
/// </summary>
internal static partial class PatientUpdate
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    private const string Savepoint = "brief_lock_wait";

    /// <param name="update">
    /// The update, on <c>branch.sync_rows AS p</c>, ending with its <c>WHERE</c> clause: run first as it is, waiting.
    /// </param>
    /// <param name="rowsToLock">
    /// A condition on <c>branch.sync_rows</c> naming the rows the update may touch: after the wait, the update runs
    /// again on those of them no one else holds (<c>FOR NO KEY UPDATE SKIP LOCKED</c>).
    /// </param>
    public static async Task<int> RunAsync(
        DbContext db, FormattableString update, FormattableString rowsToLock, CancellationToken cancellationToken)
    {
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            // One round trip: the savepoint, a lock timeout local to it, the update, the timeout set back. A lock
            // timeout aborts the statements after it; rolling back to the savepoint ends the abort and the setting.
            var patient = FormattableStringFactory.Create(
                $"SAVEPOINT {Savepoint}; SET LOCAL lock_timeout = '{(int)Patience.TotalMilliseconds}ms'; {update.Format}; " +
                $"SET LOCAL lock_timeout TO DEFAULT; RELEASE SAVEPOINT {Savepoint}",
                update.GetArguments());
            int updated;
            try
            {
                updated = await db.Database.ExecuteSqlInterpolatedAsync(patient, cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                await db.Database.ExecuteSqlRawAsync($"ROLLBACK TO SAVEPOINT {Savepoint}", cancellationToken);
                updated = await db.Database.ExecuteSqlInterpolatedAsync(SkippingLocked(update, rowsToLock), cancellationToken);
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

    /// <summary>The update restricted to the rows it can lock at once, <paramref name="rowsToLock"/>'s arguments after its own.</summary>
    private static FormattableString SkippingLocked(FormattableString update, FormattableString rowsToLock)
    {
        var offset = update.ArgumentCount;

        // The compiler writes each hole of an interpolated string as {n} or {n:format}; "{{" is a literal brace.
        var condition = Hole().Replace(rowsToLock.Format, m => "{" + (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + offset));
        return FormattableStringFactory.Create(
            $"{update.Format} AND (p.tableoid, p.id) IN (SELECT tableoid, id FROM {SyncLedger.Table} WHERE {condition} FOR NO KEY UPDATE SKIP LOCKED)",
            [.. update.GetArguments(), .. rowsToLock.GetArguments()]);
    }

    [GeneratedRegex(@"(?<!\{)\{(\d+)")]
    private static partial Regex Hole();
}
