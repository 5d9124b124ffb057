using MassTransit;
using Microsoft.Extensions.Options;
using SynchroMesh.Contracts;

namespace SynchroMesh.BranchOutbox.StateMachines;

/// <summary>
/// Tracks one batch's trip to the head office: once sent it waits for its ack; the ack records, row by row, the
/// versions the head office holds; no ack in time puts the batch's unacked rows back on the outbox's list to be
/// sent again. Either way the batch is then done and its instance removed.
/// </summary>
/// <remarks>
/// An ack may overtake the outbox's own "sent" event (the head office can be quicker than this queue): it is
/// recorded all the same. A "sent" arriving after that starts an instance whose timeout finds nothing to resend.
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
