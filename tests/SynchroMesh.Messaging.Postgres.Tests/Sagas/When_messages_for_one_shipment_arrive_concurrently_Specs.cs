namespace SynchroMesh.Messaging.Postgres.Tests.Sagas;

public sealed class When_messages_for_one_shipment_arrive_concurrently(SagaSpecDatabase database) : IClassFixture<SagaSpecDatabase>
{
    const int Items = 20;

    [Fact]
    public async Task Should_apply_every_message_exactly_once()
    {
        await using var bus = await SagaSpecBus.Start<ShipmentStateMachine>(database);
        var shipmentId = await bus.OpenShipmentAsync(SpecTimeout.UnderLoad);

        await Task.WhenAll(Enumerable.Range(1, Items)
            .Select(item => bus.Publish(new ItemAdded { ShipmentId = shipmentId, Note = $"item {item}" })));

        await bus.UntilStateAsync(shipmentId, s => s.ItemCount == Items, SpecTimeout.UnderLoad, $"all {Items} items are counted");

        // A losing attempt rolled back its audit row together with its saga update, so each item is audited once.
        Assert.Equal(Items, await database.AuditCount(shipmentId));
        Assert.False(bus.Harness.Published.Select<Fault<ItemAdded>>().Any());
        Assert.Contains(bus.Retries.Exceptions, e => e is DbUpdateConcurrencyException);
    }
}
