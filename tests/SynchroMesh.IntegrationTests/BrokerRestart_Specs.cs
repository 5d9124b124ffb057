namespace SynchroMesh.IntegrationTests;

public sealed class When_rabbitmq_restarts_while_branches_record_sales
{
    [Fact]
    public async Task Should_deliver_every_sale_once_without_restarting_any_service()
    {
        await using var system = await SyncSystem.StartAsync(["n", "s"], ackTimeout: TimeSpan.FromSeconds(10));
        var branches = new[] { system.Branch("n"), system.Branch("s") };

        async Task RecordAsync(int count, string phase)
        {
            foreach (var branch in branches)
            {
                for (var i = 0; i < count; i++)
                {
                    await branch.CreateAsync(SaleInput.Example(product: $"{phase}-{i}"));
                }
            }
        }

        try
        {
            await RecordAsync(10, "before");
            await TestServers.ControlAsync("stop-rabbit");

            // The branches keep taking sales while the broker is gone.
            await RecordAsync(10, "during");
        }
        finally
        {
            await TestServers.ControlAsync("start-rabbit");
        }

        await RecordAsync(10, "after");

        foreach (var branch in branches)
        {
            await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(120));
            var rows = await system.HeadOffice.ListAsync(branch.Id);
            Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), rows.Select(r => r.ExternalId));
        }
    }
}
