namespace SynchroMesh.BranchOutbox.Sync;

/// <summary>
/// What the batch saga writes on the rows of its batch (<see cref="SyncLedger"/>), in the same transaction as its own
/// state so that the two never disagree.
/// </summary>
public interface IBatchLedger
{
    /// <summary>Records, for each row, that the head office holds that version (or newer); returns how many rows it marked.</summary>
    Task<int> RecordAcksAsync(IReadOnlyList<ProductVersion> acked, CancellationToken cancellationToken);

    /// <summary>Puts back on the outbox's work list every row last sent in this batch and still not acked; returns how many.</summary>
    Task<int> PutBackUnackedAsync(Guid batchId, CancellationToken cancellationToken);
}
