namespace SynchroMesh.BranchOutbox.Outbox;

/// <summary>
/// Group commit for the outbox: the batches sent and not yet acked, so that a woken outbox sends at once when none is
/// in flight (an idle branch answers in milliseconds) and otherwise lets changes gather until their acks are back (a
/// busy branch sends fuller batches, each costing one saga, one timeout and one ack, instead of one batch a change).
/// </summary>
/// <remarks>
/// Pacing only, never correctness: it lives in this process's memory and is forgotten by a restart, an ack that never
/// comes holds it up for at most the wait's bound (<see cref="SyncOptions.Linger"/>), and the rows' sync state stays in
/// the database.
/// </remarks>
public sealed class OutboxPacing(TimeProvider clock)
{
    private readonly Lock _lock = new();
    private readonly HashSet<Guid> _inFlight = [];
    private TaskCompletionSource _noneInFlight = Completed();

    /// <summary>The batches of a pass are out, waiting for their acks.</summary>
    public void Sent(IEnumerable<Guid> batchIds)
    {
        lock (_lock)
        {
            _inFlight.UnionWith(batchIds);
            if (_inFlight.Count > 0 && _noneInFlight.Task.IsCompleted)
            {
                _noneInFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>A batch's ack was recorded.</summary>
    public void Acked(Guid batchId) => Forget([batchId]);

    /// <summary>No ack is coming for these batches (their publish failed): the next pass does not wait for them.</summary>
    public void Forget(IEnumerable<Guid> batchIds)
    {
        lock (_lock)
        {
            var removed = false;
            foreach (var batchId in batchIds)
            {
                removed |= _inFlight.Remove(batchId);
            }

            if (removed && _inFlight.Count == 0)
            {
                _noneInFlight.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Waits until no batch is waiting for its ack, or <paramref name="atMost"/>; after that the batches still out are
    /// no longer waited for (their acks are late or lost, and the saga's timeout deals with them).
    /// </summary>
    public async Task WhenNoneInFlightAsync(TimeSpan atMost, CancellationToken cancellationToken)
    {
        Task noneInFlight;
        lock (_lock)
        {
            noneInFlight = _noneInFlight.Task;
        }

        try
        {
            await noneInFlight.WaitAsync(atMost, clock, cancellationToken);
        }
        catch (TimeoutException)
        {
            lock (_lock)
            {
                _inFlight.Clear();
                _noneInFlight.TrySetResult();
            }
        }
    }

    private static TaskCompletionSource Completed()
    {
        var completed = new TaskCompletionSource();
        completed.SetResult();
        return completed;
    }
}
