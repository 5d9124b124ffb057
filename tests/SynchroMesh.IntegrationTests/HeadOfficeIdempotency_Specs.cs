using System.Collections.Concurrent;

namespace SynchroMesh.IntegrationTests;

public sealed class When_copies_and_older_versions_of_a_product_arrive_at_once
{
    [Fact]
    public async Task Should_store_one_row_at_the_newest_version()
    {
        await using var system = await SyncSystem.StartAsync([]);
        var branchId = $"it-dup-{Guid.NewGuid():N}"[..20];

        var acks = new ConcurrentQueue<ProductAcked>();
        var bus = TestServers.CreateBus(system.VirtualHost, cfg =>
        {
            // Listens as the branch would: only the acks routed to this branch id, on the HO's single-ack exchange.
            cfg.Message<ProductAcked>(m => m.SetEntityName("synchromesh.product-acked"));
            cfg.ReceiveEndpoint($"{branchId}-acks", e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                e.ConfigureConsumeTopology = false;
                e.Bind<ProductAcked>(b =>
                {
                    b.ExchangeType = ExchangeType.Topic;
                    b.RoutingKey = branchId;
                });
                e.Handler<ProductAcked>(context =>
                {
                    acks.Enqueue(context.Message);
                    return Task.CompletedTask;
                });
            });
        }, publishAs: new BranchTopology(branchId).User);
        await bus.StartAsync();
        try
        {
            var copies = Enumerable.Range(0, 40).Select(i => Version(branchId, version: i % 2 == 0 ? 2 : 1));
            await Task.WhenAll(copies.Select(m => bus.Publish(m)));

            await Eventually.UntilAsync(
                async () => (await system.HeadOffice.GetAsync(branchId, 42))?.Version == 2, TimeSpan.FromSeconds(30), "the head office holds version 2");

            // A newer version still replaces it, and a late older one does not bring it back.
            await bus.Publish(Version(branchId, version: 3, deleted: true));
            await bus.Publish(Version(branchId, version: 2));
            await Eventually.UntilAsync(
                async () => (await system.HeadOffice.GetAsync(branchId, 42))?.Version == 3, TimeSpan.FromSeconds(30), "the head office holds version 3");

            // Every copy is acked for the version it carried, duplicates and stale ones included. Each ack leaves after
            // its copy's commit and they arrive in no set order (the head office stores copies side by side), so all
            // 42 are awaited before they are counted.
            await Eventually.UntilAsync(
                () => acks.Count >= 42, TimeSpan.FromSeconds(30), "42 acks arrive, one for each copy sent",
                () => $"{acks.Count} acks: " + string.Join(", ", acks.GroupBy(a => a.Version).OrderBy(g => g.Key).Select(g => $"{g.Count()} of version {g.Key}")));
            Assert.Equal(21, acks.Count(a => a.Version == 2));
            Assert.Equal(20, acks.Count(a => a.Version == 1));
            Assert.Equal(1, acks.Count(a => a.Version == 3));
        }
        finally
        {
            await bus.StopAsync();
        }

        var row = Assert.Single(await system.HeadOffice.ListAsync(branchId));
        Assert.Equal(3, row.Version);
        Assert.True(row.IsDeleted);
    }

    private static ProductSubmitted Version(string branchId, long version, bool deleted = false)
    {
        var product = ProductMessages.Submitted(branchId, externalId: 42, version) with
        {
            Product = $"v{version}",
            Qty = (uint)version,
        };
        return deleted ? product with { DeletedAt = product.UpdatedAt } : product;
    }
}
