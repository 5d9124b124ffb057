namespace SynchroMesh.BranchOutbox.Outbox;

/// <summary>Wakes the outbox as soon as a row changes, so a sale does not wait for the next poll.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers every change made before it is consumed.
        }
    }

    /// <summary>Waits for a change or for <paramref name="timeout"/>, whichever comes first; true when woken by a change.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _signal.WaitAsync(timeout, cancellationToken);
}
