using System.Collections.Concurrent;
using SynchroMesh.BranchOutbox.Sync;

namespace SynchroMesh.BranchOutbox.Tests;

/// <summary>Records what the saga asked of the product rows; the real ledger is covered by the integration specs.</summary>
public sealed class RecordingSyncLedger : IBatchLedger
{
    public ConcurrentQueue<ProductVersion> Acks { get; } = new();
    public ConcurrentQueue<Guid> Resets { get; } = new();

    public Task<int> RecordAcksAsync(IReadOnlyList<ProductVersion> acked, CancellationToken cancellationToken)
    {
        foreach (var product in acked)
        {
            Acks.Enqueue(product);
        }

        return Task.FromResult(acked.Count);
    }

    /// <summary>How many rows a timed-out batch still had unacked, as the database would answer.</summary>
    public int UnackedRows { get; set; }

    public Task<int> PutBackUnackedAsync(Guid batchId, CancellationToken cancellationToken)
    {
        Resets.Enqueue(batchId);
        return Task.FromResult(UnackedRows);
    }
}
