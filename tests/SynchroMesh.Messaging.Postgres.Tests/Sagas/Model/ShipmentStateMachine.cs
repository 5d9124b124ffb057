namespace SynchroMesh.Messaging.Postgres.Tests.Sagas.Model;

public class ShipmentStateMachine : MassTransitStateMachine<ShipmentState>
{
    public ShipmentStateMachine()
        : this(insertOnInitial: false)
    {
    }

    protected ShipmentStateMachine(bool insertOnInitial)
    {
        InstanceState(x => x.CurrentState);

        Event(() => Created, e =>
        {
            e.CorrelateById(m => m.Message.ShipmentId);
            e.InsertOnInitial = insertOnInitial;
        });
        Event(() => ItemAdded, e => e.CorrelateById(m => m.Message.ShipmentId));
        Event(() => Closed, e => e.CorrelateById(m => m.Message.ShipmentId));

        Initially(
            When(Created).TransitionTo(Open));

        During(Open,
            Ignore(Created),
            When(ItemAdded)
                .Then(x => x.Saga.ItemCount++)
                .ThenAsync(WriteAudit),
            When(Closed).Finalize());

        SetCompletedWhenFinalized();
    }

    public State Open { get; } = null!;

    public Event<ShipmentCreated> Created { get; } = null!;
    public Event<ItemAdded> ItemAdded { get; } = null!;
    public Event<ShipmentClosed> Closed { get; } = null!;

    // Resolves the DbContext the way application activities do; the raw SQL must share the saga's transaction.
    static async Task WriteAudit(BehaviorContext<ShipmentState, ItemAdded> context)
    {
        var dbContext = context.GetServiceOrCreateInstance<SagaSpecDbContext>();

        await dbContext.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO shipment_audit (correlation_id, note) VALUES ({context.Saga.CorrelationId}, {context.Message.Note})");

        if (context.Message.FailAfterAudit)
            throw new InvalidOperationException($"Failing after auditing '{context.Message.Note}'.");
    }
}
