using System.Runtime.CompilerServices;

namespace SynchroMesh.BranchOutbox.Sync;

/// <summary>
/// The sync state of every row, and every statement on it: the rows waiting to be sent, marking a batch sent, recording
/// the head office's acks, putting unacked rows back to be sent again, and the figures. It works on <see cref="Table"/>:
/// the live rows of <c>branch.products</c> and the tombstones of hard-deleted ones in <c>branch.deleted_products</c>,
/// both children of that table (PostgreSQL inheritance), which one statement reaches at once; other programs see only
/// the live rows. Statements run on the scope's <see cref="BranchDbContext"/>, so the saga's run inside its repository's
/// transaction and commit or roll back with its state.
/// </summary>
/// <remarks>
/// <para>
/// <c>p.id = ANY(ids)</c> repeats a join with <c>unnest</c> on purpose: it lets the planner find a batch's rows through the
/// primary key; given only the join it hashed and scanned the whole table for every batch, a cost that grew with the
/// table (profiled: PostgreSQL's hash joins and heap scans were the largest CPU user of a drain).
/// </para>
/// <para>
/// Updates wait for a row lock only briefly (<see cref="PatientUpdate"/>): a row another program holds in an open
/// transaction is skipped, or one till's long transaction would hold up a whole batch. A skipped row is always sent
/// again in time: if that transaction commits, the row has a new version to send; if it rolls back, the overdue sweep
/// puts it back.
/// </para>
/// <para>
/// A new column goes on the parent (<c>ALTER TABLE branch.sync_rows ADD COLUMN</c>), which gives it to both children;
/// added to <c>branch.products</c> alone it would be missing from these reads.
/// </para>
/// </remarks>
public sealed class SyncLedger(BranchDbContext db, TimeProvider clock) : IBatchLedger
{
    /// <summary>The parent of live rows and tombstones.</summary>
    public const string Table = "branch.sync_rows";

    /// <summary>
    /// The channel the tables' triggers notify on every change of a row's data, by whatever program, except in the
    /// sessions that wake the outbox themselves (<see cref="WakesOutboxSetting"/>).
    /// </summary>
    public const string ChangeChannel = "synchromesh_product_changes";

    /// <summary>
    /// A session setting that says its writer wakes the outbox in the process (the branch API does, after its commit),
    /// so the triggers do not notify <see cref="ChangeChannel"/> for its changes. Every other writer's changes notify.
    /// </summary>
    public const string WakesOutboxSetting = "synchromesh.wakes_outbox";

    /// <summary>The session options of the branch service's own connections: its sessions wake the outbox themselves.</summary>
    public const string WakesOutboxOptions = $"-c {WakesOutboxSetting}=on";

    /// <summary>
    /// Up to <paramref name="limit"/> rows whose current version waits to be sent, in id order. Rows another program
    /// holds locked are passed over (a till's open transaction, whose commit will change them again): sent now, they
    /// could not be marked sent and would go out again on every pass until it ends. No lock outlives the statement.
    /// </summary>
    public Task<List<BranchProduct>> ReadWaitingAsync(int limit, CancellationToken cancellationToken) =>
        db.Products
            .FromSqlRaw($"SELECT * FROM {Table} WHERE {SyncStates.NotSentSql} ORDER BY id LIMIT {{0}} FOR NO KEY UPDATE SKIP LOCKED", limit)
            .AsNoTracking()
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Marks each row of the published batches sent at the version that was published, with its batch; a row changed
    /// meanwhile keeps waiting. Returns how many rows were marked.
    /// </summary>
    public Task<int> MarkSentAsync(IReadOnlyList<OutgoingBatch> batches, CancellationToken cancellationToken)
    {
        var ids = batches.SelectMany(b => b.Rows.Select(r => r.Id)).ToArray();
        var versions = batches.SelectMany(b => b.Rows.Select(r => r.Version)).ToArray();
        var batchIds = batches.SelectMany(b => b.Rows.Select(_ => b.Id)).ToArray();
        var now = clock.GetUtcNow();
        return PatientUpdate.RunAsync(db,
            $"""
            UPDATE branch.sync_rows AS p SET sent_version = s.version, sent_at = {now}, batch_id = s.batch_id
            FROM unnest({ids}, {versions}, {batchIds}) AS s(id, version, batch_id)
            WHERE p.id = ANY({ids}) AND p.id = s.id AND p.version = s.version AND p.sent_version < s.version
            """,
            $"id = ANY({ids})",
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<int> RecordAcksAsync(IReadOnlyList<ProductVersion> acked, CancellationToken cancellationToken)
    {
        var ids = acked.Select(p => p.ExternalId).ToArray();
        var versions = acked.Select(p => p.Version).ToArray();
        var now = clock.GetUtcNow();
        return PatientUpdate.RunAsync(db,
            $"""
            UPDATE branch.sync_rows AS p SET acked_version = a.version, acked_at = {now}
            FROM unnest({ids}, {versions}) AS a(id, version)
            WHERE p.id = ANY({ids}) AND p.id = a.id AND p.acked_version < a.version
            """,
            $"id = ANY({ids})",
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<int> PutBackUnackedAsync(Guid batchId, CancellationToken cancellationToken) =>
        PutBackAsync($"batch_id = {batchId}", cancellationToken);

    /// <summary>
    /// Puts back every row sent before <paramref name="sentBefore"/> at its current version and still not acked: the
    /// backstop to the saga's timeout (lost with a failed message, say). Sending again is always safe, the head office
    /// being idempotent. Returns how many rows.
    /// </summary>
    public Task<int> PutBackOverdueAsync(DateTimeOffset sentBefore, CancellationToken cancellationToken) =>
        PutBackAsync($"sent_version = version AND sent_at < {sentBefore}", cancellationToken);

    /// <summary>Where the rows are in their trip, counted in one pass.</summary>
    public Task<SyncFigures> ReadFiguresAsync(CancellationToken cancellationToken) => SyncFigures.ReadAsync(db, cancellationToken);

    /// <summary>
    /// The rows <paramref name="rows"/> names (a condition on <see cref="Table"/>) that were sent and are not acked go
    /// back to waiting: their sent version falls back to the acked one.
    /// </summary>
    private Task<int> PutBackAsync(FormattableString rows, CancellationToken cancellationToken) =>
        PatientUpdate.RunAsync(db,
            FormattableStringFactory.Create(
                $"UPDATE {Table} AS p SET sent_version = p.acked_version WHERE ({rows.Format}) " +
                "AND p.acked_version < p.version AND p.acked_version < p.sent_version",
                rows.GetArguments()),
            rows,
            cancellationToken);
}
