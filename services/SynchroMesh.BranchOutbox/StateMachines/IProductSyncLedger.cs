namespace SynchroMesh.BranchOutbox.StateMachines;

/// <summary>
/// The sync bookkeeping on the branch's product rows, written by the saga in the same transaction as its own
/// state so that the two never disagree.
/// </summary>
public interface IProductSyncLedger
{
    /// <summary>Records that the head office holds <paramref name="version"/> (or newer) of the row.</summary>
    Task RecordAckAsync(long externalId, long version, CancellationToken cancellationToken);

    /// <summary>Puts the row back on the outbox's work list if <paramref name="version"/> is still its sent, unacked version.</summary>
    Task ResetToNotSentAsync(long externalId, long version, CancellationToken cancellationToken);
}
