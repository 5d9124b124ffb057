namespace SynchroMesh.Messaging.Postgres.Tests.Sagas;

public sealed class When_a_saga_activity_fails_after_writing(SagaSpecDatabase database) : IClassFixture<SagaSpecDatabase>
{
    [Fact]
    public async Task Should_roll_back_the_activity_sql_with_the_saga_state()
    {
        await using var bus = await SagaSpecBus.Start<ShipmentStateMachine>(database);
        var shipmentId = await bus.OpenShipmentAsync(SpecTimeout.Default);

        await bus.Publish(new ItemAdded { ShipmentId = shipmentId, Note = "kept" });
        await bus.UntilStateAsync(shipmentId, s => s.ItemCount == 1, SpecTimeout.Default, "the first item is stored");

        await bus.Publish(new ItemAdded { ShipmentId = shipmentId, Note = "dropped", FailAfterAudit = true });

        await Eventually.UntilAsync(
            () => bus.Harness.Published.Select<Fault<ItemAdded>>(x => x.Context.Message.Message.ShipmentId == shipmentId).Any(),
            SpecTimeout.Default, "the failing item faults after its retries");

        Assert.Equal(1, await database.AuditCount(shipmentId, "kept"));
        Assert.Equal(0, await database.AuditCount(shipmentId, "dropped"));
        Assert.True(await bus.HasState(shipmentId, s => s.ItemCount == 1));
    }
}
