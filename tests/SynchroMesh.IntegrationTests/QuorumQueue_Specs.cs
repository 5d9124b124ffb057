namespace SynchroMesh.IntegrationTests;

public sealed class When_the_queues_are_quorum_queues
{
    [Fact]
    public async Task Should_declare_them_as_quorum_queues_and_sync_as_usual()
    {
        await using var system = await SyncSystem.StartAsync(["q"], broker: new BrokerOptions(UseQuorumQueues: true));
        var branch = system.Branch("q");

        var created = await branch.CreateAsync(SaleInput.Example(product: "quorum"));
        await branch.UpdateAsync(created.Id, SaleInput.Example(product: "quorum", qty: 9));
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));

        var row = Assert.Single(await system.HeadOffice.ListAsync(branch.Id));
        Assert.Equal(2, row.Version);
        Assert.Equal(9u, row.Qty);
        Assert.Equal("quorum", await TestServers.Management.QueueTypeAsync(system.VirtualHost, "head-office-product-submitted"));
        Assert.Equal("quorum", await TestServers.Management.QueueTypeAsync(system.VirtualHost, $"{branch.Id}-product-sync"));
        Assert.Equal("quorum", await TestServers.Management.QueueTypeAsync(system.VirtualHost, $"{branch.Id}-scheduler"));
    }
}
