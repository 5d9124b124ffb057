using System.Collections.Concurrent;
using SynchroMesh.BranchOutbox.StateMachines;

namespace SynchroMesh.BranchOutbox.Tests;

/// <summary>Records what the saga asked of the product rows; the real ledger is covered by the integration specs.</summary>
public sealed class RecordingSyncLedger : IProductSyncLedger
{
    public ConcurrentQueue<(long ExternalId, long Version)> Acks { get; } = new();
    public ConcurrentQueue<(long ExternalId, long Version)> Resets { get; } = new();

    public Task RecordAckAsync(long externalId, long version, CancellationToken cancellationToken)
    {
        Acks.Enqueue((externalId, version));
        return Task.CompletedTask;
    }

    public Task ResetToNotSentAsync(long externalId, long version, CancellationToken cancellationToken)
    {
        Resets.Enqueue((externalId, version));
        return Task.CompletedTask;
    }
}
