namespace SynchroMesh.Messaging.Postgres.Tests.Sagas;

public sealed class When_a_shipment_moves_through_its_states(SagaSpecDatabase database) : IClassFixture<SagaSpecDatabase>
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Should_persist_the_state_after_each_message()
    {
        await using var bus = await SagaSpecBus.Start<ShipmentStateMachine>(database);
        var shipmentId = await bus.OpenShipmentAsync(Timeout);

        for (var item = 1; item <= 3; item++)
        {
            await bus.Publish(new ItemAdded { ShipmentId = shipmentId, Note = $"item {item}" });
            var expected = item;
            await bus.UntilStateAsync(shipmentId, s => s.ItemCount == expected, Timeout, $"{expected} items are stored");
        }

        Assert.Equal(3, await database.AuditCount(shipmentId));
    }

    [Fact]
    public async Task Should_delete_the_row_when_finalized()
    {
        await using var bus = await SagaSpecBus.Start<ShipmentStateMachine>(database);
        var shipmentId = await bus.OpenShipmentAsync(Timeout);

        await bus.Publish(new ShipmentClosed { ShipmentId = shipmentId });

        await Eventually.UntilAsync(async () => await database.ShipmentRows(shipmentId) == 0, Timeout, "the finalized shipment's row is deleted");
    }
}
