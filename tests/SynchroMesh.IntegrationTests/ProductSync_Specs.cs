namespace SynchroMesh.IntegrationTests;

public sealed class When_a_product_is_created_updated_and_deleted_at_a_branch
{
    [Fact]
    public async Task Should_end_at_the_head_office_once_at_its_latest_version_and_deleted()
    {
        await using var system = await SyncSystem.StartAsync(["north"]);
        var branch = system.Branch("north");

        var created = await branch.CreateAsync(SaleInput.Example(qty: 3));
        Assert.Equal(1, created.Version);
        var updated = await branch.UpdateAsync(created.Id, SaleInput.Example(qty: 5, cost: 4.25m));
        Assert.Equal(2, updated.Version);
        await branch.DeleteAsync(created.Id);

        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));

        var atBranch = await branch.GetAsync(created.Id);
        Assert.Equal(3, atBranch.Version);
        Assert.Equal(3, atBranch.AckedVersion);
        Assert.Equal("acked", atBranch.SyncState);

        var row = Assert.Single(await system.HeadOffice.ListAsync(branch.Id));
        Assert.Equal(created.Id, row.ExternalId);
        Assert.Equal(3, row.Version);
        Assert.True(row.IsDeleted);
        Assert.Equal(atBranch.DeletedAt, row.DeletedAt);
        Assert.Equal(5u, row.Qty);
        Assert.Equal(4.25m, row.Cost);
        Assert.Equal(0.2f, row.Tax);
        Assert.Equal("espresso", row.Product);
    }
}

public sealed class When_the_ack_is_lost_after_the_head_office_committed
{
    [Fact]
    public async Task Should_time_out_send_again_and_end_acked_with_the_product_held_once()
    {
        await using var system = await SyncSystem.StartAsync(["east"], ackTimeout: TimeSpan.FromSeconds(2));
        var branch = system.Branch("east");

        // Cut the route of this branch's acks on the broker: the head office commits and acks into the void.
        var cut = await TestServers.Management.UnbindAsync(system.VirtualHost, $"{branch.Id}-acks", "");
        Assert.NotEmpty(cut);

        var created = await branch.CreateAsync(SaleInput.Example(product: "croissant"));
        await Eventually.UntilAsync(
            async () => await system.HeadOffice.GetAsync(branch.Id, created.Id) is not null, TimeSpan.FromSeconds(60), "the head office holds the sale");
        var batchOf = $"SELECT coalesce(batch_id::text, '') FROM branch.products WHERE id = {created.Id}";
        var firstBatch = "";
        await Eventually.UntilAsync(async () => (firstBatch = await branch.ScalarAsync<string>(batchOf)) != "", TimeSpan.FromSeconds(30), "the sale is sent in a batch");

        // The timeout puts the row back and the outbox sends it again, in a new batch.
        await Eventually.UntilAsync(
            async () => await branch.ScalarAsync<string>(batchOf) != firstBatch,
            TimeSpan.FromSeconds(60), "the ack timeout fires and the row is sent again in a new batch");
        Assert.NotEqual("acked", (await branch.GetAsync(created.Id)).SyncState);

        await TestServers.Management.RebindAsync(system.VirtualHost, cut);
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));

        var row = Assert.Single(await system.HeadOffice.ListAsync(branch.Id));
        Assert.Equal(created.Id, row.ExternalId);
        Assert.Equal(1, row.Version);
    }
}

public sealed class When_the_head_office_is_down_while_a_branch_records_sales
{
    [Fact]
    public async Task Should_deliver_every_sale_once_when_it_comes_back()
    {
        await using var system = await SyncSystem.StartAsync(["west"]);
        var branch = system.Branch("west");

        await system.HeadOffice.Process.StopAsync();
        var ids = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add((await branch.CreateAsync(SaleInput.Example(product: $"item-{i}", qty: (uint)i))).Id);
        }

        // The outbox publishes to the broker while the head office is away; nothing can be acked yet.
        await Eventually.UntilAsync(
            async () => await branch.ScalarAsync<long>("SELECT count(*) FROM branch.products WHERE sent_version = version") == ids.Count,
            TimeSpan.FromSeconds(30), "every row is sent");
        Assert.Equal(ids.Count, await branch.CountNotAckedAsync());

        await system.HeadOffice.Process.StartAndWaitUntilReadyAsync();
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(90));

        var rows = await system.HeadOffice.ListAsync(branch.Id);
        Assert.Equal(ids.Order(), rows.Select(r => r.ExternalId));
        Assert.All(rows, r => Assert.Equal($"item-{r.Qty}", r.Product));
    }
}

public sealed class When_two_branches_use_the_same_external_ids
{
    [Fact]
    public async Task Should_keep_them_apart_at_the_head_office()
    {
        await using var system = await SyncSystem.StartAsync(["a", "b"]);
        var a = system.Branch("a");
        var b = system.Branch("b");

        for (var i = 0; i < 3; i++)
        {
            await a.CreateAsync(SaleInput.Example(product: $"a-{i}"));
            await b.CreateAsync(SaleInput.Example(product: $"b-{i}"));
        }

        await a.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));
        await b.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));

        var atA = await system.HeadOffice.ListAsync(a.Id);
        var atB = await system.HeadOffice.ListAsync(b.Id);
        Assert.Equal([1L, 2L, 3L], atA.Select(r => r.ExternalId));
        Assert.Equal([1L, 2L, 3L], atB.Select(r => r.ExternalId));
        Assert.Equal(["a-0", "a-1", "a-2"], atA.Select(r => r.Product));
        Assert.Equal(["b-0", "b-1", "b-2"], atB.Select(r => r.Product));

        // Each branch's queue hears only its own acks: its own acks exchange is bound to its saga queue alone.
        foreach (var branch in new[] { a, b })
        {
            var ackBindings = await TestServers.Management.BindingsFromAsync(system.VirtualHost, $"{branch.Id}-acks");
            Assert.Equal([$"{branch.Id}-product-sync"], ackBindings.Select(x => x.Destination));
        }
    }
}

public sealed class When_a_branch_restarts_while_its_sales_wait_for_acks
{
    [Fact]
    public async Task Should_pick_up_its_sagas_and_schedules_and_end_with_every_sale_acked_once()
    {
        await using var system = await SyncSystem.StartAsync(["r"], ackTimeout: TimeSpan.FromSeconds(3));
        var branch = system.Branch("r");

        await system.HeadOffice.Process.StopAsync();
        for (var i = 0; i < 10; i++)
        {
            await branch.CreateAsync(SaleInput.Example(product: $"r-{i}"));
        }

        await Eventually.UntilAsync(
            async () => await branch.ScalarAsync<long>("SELECT count(*) FROM branch.products WHERE sent_version = version") == 10
                && await branch.ScalarAsync<long>("SELECT count(*) FROM branch.product_batches WHERE current_state = 'WaitingForAck'") > 0,
            TimeSpan.FromSeconds(30), "all 10 rows are sent and a batch waits for its ack");
        await branch.Process.StopAsync();

        // The timeouts scheduled before the stop live in the branch's database, not in the stopped process.
        Assert.True(await branch.ScalarAsync<long>("SELECT count(*) FROM public.qrtz_triggers") > 0);

        await system.HeadOffice.Process.StartAndWaitUntilReadyAsync();
        await branch.Process.StartAndWaitUntilReadyAsync();
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(90));

        var rows = await system.HeadOffice.ListAsync(branch.Id);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), rows.Select(r => r.ExternalId));
    }
}
