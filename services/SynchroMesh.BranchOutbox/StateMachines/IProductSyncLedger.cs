using SynchroMesh.Contracts;

namespace SynchroMesh.BranchOutbox.StateMachines;

/// <summary>
/// The sync bookkeeping on the branch's product rows, written by the batch saga in the same transaction as its
/// own state so that the two never disagree.
/// </summary>
public interface IProductSyncLedger
{
    /// <summary>Records, for each row, that the head office holds that version (or newer); returns how many rows it marked.</summary>
    Task<int> RecordAcksAsync(IReadOnlyList<ProductVersion> acked, CancellationToken cancellationToken);

    /// <summary>Puts back on the outbox's work list every row last sent in this batch and still not acked; returns how many.</summary>
    Task<int> ResetUnackedAsync(Guid batchId, CancellationToken cancellationToken);
}
