namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling.Model;

public sealed class ParcelStateMachine : MassTransitStateMachine<ParcelState>
{
    public ParcelStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => Registered, e => e.CorrelateById(m => m.Message.ParcelId));
        Schedule(() => PickupTimeout, x => x.PickupTimeoutTokenId, s =>
        {
            s.Delay = TimeSpan.FromSeconds(2);
            s.Received = r => r.CorrelateById(m => m.Message.ParcelId);
        });

        Initially(
            When(Registered)
                .Schedule(PickupTimeout, x => new PickupTimedOut { ParcelId = x.Saga.CorrelationId })
                .TransitionTo(AwaitingPickup));

        During(AwaitingPickup,
            When(PickupTimeout.Received).TransitionTo(Abandoned));
    }

    public State AwaitingPickup { get; } = null!;
    public State Abandoned { get; } = null!;

    public Event<ParcelRegistered> Registered { get; } = null!;
    public Schedule<ParcelState, PickupTimedOut> PickupTimeout { get; } = null!;
}
