namespace SynchroMesh.BranchOutbox.StateMachines;

/// <summary>
/// Tracks one batch's trip to the head office: once sent it waits for its ack; the ack records, row by row, the
/// versions the head office holds; no ack in time puts the batch's unacked rows back on the outbox's list to be
/// sent again. Either way the batch is then done and its instance removed.
/// </summary>
/// <remarks>
/// A batch's ack cannot overtake its "sent" event: the outbox puts that event in this queue (confirmed) before the
/// batch leaves for the head office, and the endpoint takes one batch's messages one at a time, in the queue's order
/// (<see cref="ProductBatchStateDefinition"/>). An ack that finds no instance is a copy of one already recorded (the
/// head office acks duplicates too); it is recorded again, harmlessly, and nothing more.
/// </remarks>
public sealed class ProductBatchStateMachine : MassTransitStateMachine<ProductBatchState>
{
    public ProductBatchStateMachine(IOptions<SyncOptions> options)
    {
        InstanceState(x => x.CurrentState);

        Event(() => Sent, e => e.CorrelateById(c => c.Message.BatchId));
        Event(() => Acked, e => e.CorrelateById(c => c.Message.BatchId));
        Schedule(() => AckTimeout, s => s.AckTimeoutTokenId, s =>
        {
            s.Delay = options.Value.AckTimeout;
            s.Received = e =>
            {
                e.CorrelateById(c => c.Message.BatchId);
                // The batch was acked (and removed) while its timeout was already on its way.
                e.OnMissingInstance(m => m.Discard());
            };
        });

        Initially(
            When(Sent).RecordSent().ScheduleAckTimeout(AckTimeout).TransitionTo(WaitingForAck),
            When(Acked).RecordAcks().Finalize());

        During(WaitingForAck,
            Ignore(Sent),
            When(Acked).RecordAcks().Unschedule(AckTimeout).Finalize(),
            When(AckTimeout.Received).ResendUnacked().Finalize());

        SetCompletedWhenFinalized();
    }

    public State WaitingForAck { get; } = null!;

    public Event<ProductBatchSent> Sent { get; } = null!;
    public Event<ProductsAcked> Acked { get; } = null!;
    public Schedule<ProductBatchState, ProductBatchAckTimedOut> AckTimeout { get; } = null!;
}
