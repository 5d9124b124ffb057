using System.Collections.Concurrent;
using MassTransit;
using SynchroMesh.Contracts;

namespace SynchroMesh.IntegrationTests;

[Collection(IntegrationCollection.Name)]
public sealed class When_the_head_office_receives_an_invalid_product
{
    private const string ErrorQueue = "head-office-product-submitted_error";

    [Fact]
    public async Task Should_store_nothing_move_it_to_the_error_queue_with_a_reason_and_go_on()
    {
        await using var system = await SyncSystem.StartAsync([]);
        var branchId = $"it-bad-{Guid.NewGuid():N}"[..16];

        var bus = TestServers.CreateBus(system.VirtualHost);
        await bus.StartAsync();
        try
        {
            await bus.Publish(Product(branchId, externalId: -5, tax: -1f));
            await bus.Publish(Product(branchId, externalId: 6, tax: 0.2f));

            // The valid one behind it is stored: the consumer went on.
            Assert.True(await Eventually.TrueAsync(
                async () => await system.HeadOffice.GetAsync(branchId, 6) is not null, TimeSpan.FromSeconds(30)));
        }
        finally
        {
            await bus.StopAsync();
        }

        var faults = new ConcurrentBag<string>();
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            foreach (var message in await RabbitManagement.TakeMessagesAsync(system.VirtualHost, ErrorQueue, 50))
            {
                var reason = message.GetProperty("properties").GetProperty("headers").GetProperty("MT-Fault-Message").GetString()!;
                if (message.GetProperty("payload").GetString()!.Contains(branchId, StringComparison.Ordinal))
                {
                    faults.Add(reason);
                }
            }

            return !faults.IsEmpty;
        }, TimeSpan.FromSeconds(30)));

        var fault = Assert.Single(faults);
        Assert.Contains("externalId", fault);
        Assert.Contains("tax", fault);
        Assert.Equal(6, Assert.Single(await system.HeadOffice.ListAsync(branchId)).ExternalId);
    }

    private static ProductSubmitted Product(string branchId, long externalId, float tax) => new()
    {
        BranchId = branchId,
        ExternalId = externalId,
        Version = 1,
        Date = new DateOnly(2026, 11, 25),
        Product = "tea",
        Region = "north",
        Qty = 1,
        Cost = 2m,
        Tax = tax,
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
    };
}
