using MassTransit;
using Microsoft.Extensions.Options;
using SynchroMesh.Contracts;

namespace SynchroMesh.BranchOutbox.StateMachines;

/// <summary>
/// Tracks one product's trip to the head office: a sent version waits for its ack; an ack for that version
/// (or a newer one) settles it; no ack in time puts the row back on the outbox's list to be sent again.
/// </summary>
public sealed class ProductSyncStateMachine : MassTransitStateMachine<ProductSyncState>
{
    public ProductSyncStateMachine(IOptions<SyncOptions> options)
    {
        InstanceState(x => x.CurrentState);

        Event(() => Sent, e => e.CorrelateById(c => ProductSagaId.For(c.Message.BranchId, c.Message.ExternalId)));
        Event(() => Acked, e => e.CorrelateById(c => ProductSagaId.For(c.Message.BranchId, c.Message.ExternalId)));
        Schedule(() => AckTimeout, s => s.AckTimeoutTokenId, s =>
        {
            s.Delay = options.Value.AckTimeout;
            s.Received = e => e.CorrelateById(c => ProductSagaId.For(c.Message.BranchId, c.Message.ExternalId));
        });

        Initially(
            When(Sent).RecordSent().ScheduleAckTimeout(AckTimeout).TransitionTo(WaitingForAck),
            When(Acked).RecordAck().TransitionTo(Synced));

        During(WaitingForAck,
            When(Sent, c => c.Message.Version > c.Saga.SentVersion).RecordSent().ScheduleAckTimeout(AckTimeout),
            When(Acked, c => c.Message.Version >= c.Saga.SentVersion).RecordAck().Unschedule(AckTimeout).TransitionTo(Synced),
            When(Acked, c => c.Message.Version < c.Saga.SentVersion).RecordAck(),
            When(AckTimeout.Received, c => c.Message.Version == c.Saga.SentVersion).ResetToNotSent().TransitionTo(NotSent));

        During(Synced, NotSent,
            When(Sent, c => c.Message.Version > c.Saga.AckedVersion).RecordSent().ScheduleAckTimeout(AckTimeout).TransitionTo(WaitingForAck),
            When(Acked).RecordAck(),
            Ignore(AckTimeout.Received));
    }

    public State WaitingForAck { get; } = null!;
    public State Synced { get; } = null!;
    public State NotSent { get; } = null!;

    public Event<ProductSent> Sent { get; } = null!;
    public Event<ProductAcked> Acked { get; } = null!;
    public Schedule<ProductSyncState, ProductAckTimedOut> AckTimeout { get; } = null!;
}
