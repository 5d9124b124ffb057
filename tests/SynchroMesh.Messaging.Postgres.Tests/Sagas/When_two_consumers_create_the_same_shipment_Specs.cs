namespace SynchroMesh.Messaging.Postgres.Tests.Sagas;

public sealed class When_two_consumers_create_the_same_shipment(SagaSpecDatabase database) : IClassFixture<SagaSpecDatabase>
{
    const int Creates = 4;

    [Fact]
    public Task Should_store_one_row_when_the_saga_adds_after_running() => CreateConcurrently<ShipmentStateMachine>();

    [Fact]
    public Task Should_store_one_row_when_the_saga_inserts_on_initial() => CreateConcurrently<InsertingShipmentStateMachine>();

    async Task CreateConcurrently<TStateMachine>()
        where TStateMachine : class, SagaStateMachine<ShipmentState>
    {
        await using var bus = await SagaSpecBus.Start<TStateMachine>(database);
        var shipmentId = Guid.NewGuid();

        await Task.WhenAll(Enumerable.Range(0, Creates).Select(_ => bus.Publish(new ShipmentCreated { ShipmentId = shipmentId })));

        await Eventually.UntilAsync(
            () => bus.Harness.Consumed.Select<ShipmentCreated>(x => x.Context.Message.ShipmentId == shipmentId && x.Exception is null).Count() == Creates,
            SpecTimeout.Default, $"all {Creates} creates are consumed successfully");

        Assert.Equal(1, await database.ShipmentRows(shipmentId));
        Assert.False(bus.Harness.Published.Select<Fault<ShipmentCreated>>().Any());
        Assert.True(await bus.HasState(shipmentId, s => s.CurrentState == "Open"));
        Assert.DoesNotContain(bus.Retries.Exceptions, e => e is PostgresException { SqlState: PostgresErrorCodes.InFailedSqlTransaction });
    }
}
