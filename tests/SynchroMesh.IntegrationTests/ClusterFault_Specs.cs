namespace SynchroMesh.IntegrationTests;

public sealed class When_head_office_replicas_are_killed_in_the_middle_of_ingesting
{
    [Fact]
    public async Task Should_lose_nothing_store_nothing_twice_and_report_every_sale_once()
    {
        await using var system = await SyncSystem.StartAsync(["r"], ackTimeout: TimeSpan.FromSeconds(10),
            broker: BrokerOptions.QuorumCluster, headOfficeReplicas: 3,
            branchSettings: new Dictionary<string, string> { ["Sync__HeartbeatInterval"] = "00:00:01" });
        var branch = system.Branch("r");
        var replicas = system.HeadOffice.Replicas;
        await branch.BuildBacklogAsync(seed: 41, writes: 300);

        // One replica dies at a sixth of the backlog, the other two carry on; then all three die at a third.
        await UntilAckedAsync(branch, 5_000);
        await replicas[0].KillAsync();
        await UntilAckedAsync(branch, 10_000);
        await Task.WhenAll(replicas.Skip(1).Select(replica => replica.KillAsync()));
        await Task.WhenAll(replicas.Select(replica => replica.StartAndWaitUntilReadyAsync()));

        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(180));
        await system.EnsureInvariantsHoldAsync();

        // Whichever replica took which copy, the report counts each live sale once and the heartbeats say "caught up".
        var quantity = await branch.ScalarAsync<long>("SELECT coalesce(sum(qty), 0)::bigint FROM branch.products WHERE deleted_at IS NULL");
        var lines = await branch.ScalarAsync<long>("SELECT count(*) FROM branch.products WHERE deleted_at IS NULL");
        await Eventually.UntilAsync(async () =>
            {
                var totals = (await system.HeadOffice.SalesReportAsync("groupBy=region")).Totals;
                return (totals.Quantity, totals.Lines) == (quantity, lines);
            }, TimeSpan.FromSeconds(60), $"the report holds {lines} sales of {quantity} items",
            async () => (await system.HeadOffice.SalesReportAsync("groupBy=region")).Totals.ToString());
        await Eventually.UntilAsync(async () =>
                (await system.HeadOffice.BranchesAsync()).Single(b => b.BranchId == branch.Id) is { Online: true, Backlog: 0, LagSeconds: 0 },
            TimeSpan.FromSeconds(60), "the head office sees the branch online and caught up");
    }

    private static Task UntilAckedAsync(BranchOffice branch, long rows) =>
        branch.UntilAckedAsync(rows, TimeSpan.FromSeconds(90), $"ingest reaches {rows} rows");
}

public sealed class When_a_node_is_cut_off_from_the_cluster_while_a_branch_writes_to_it
{
    [Fact]
    public async Task Should_move_the_branch_to_the_majority_and_lose_nothing_once_healed()
    {
        await using var system = await SyncSystem.StartAsync(["p"], ackTimeout: TimeSpan.FromSeconds(15),
            broker: BrokerOptions.QuorumCluster, headOfficeReplicas: 2);
        var branch = system.Branch("p");
        var user = new BranchTopology(branch.Id).User;

        await branch.CreateAsync(SaleInput.Example(product: "before the cut"));
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));
        var node = TestBroker.NodeNumber(await system.Broker.NodeOfAsync(user));

        var workload = new SalesWorkload(branch, seed: 43);
        await TestServers.ControlAsync("cut-node", node.ToString());
        try
        {
            // The cut node pauses (it sees a minority) and closes its clients' connections; the branch writes all along.
            var moved = Eventually.UntilAsync(async () => await system.Broker.NodesOfWhileSplitAsync(user) is { Length: > 0 } nodes
                                                          && !nodes.Contains(TestBroker.NodeName(node)),
                TimeSpan.FromSeconds(90), "the branch's connection is on a node of the majority");
            while (!moved.IsCompleted)
            {
                await workload.WriteOneAsync();
            }

            await moved;
            await workload.WriteAsync(50);
        }
        finally
        {
            await TestServers.ControlAsync("heal-node", node.ToString());
        }

        await system.Broker.WaitUntilWholeAsync(TimeSpan.FromSeconds(90));
        await branch.WaitUntilAllAckedAsync(TestBroker.CatchUpAfterNodeLoss);
        await system.EnsureInvariantsHoldAsync();
    }
}

public sealed class When_every_node_of_the_cluster_is_restarted_in_turn
{
    [Fact]
    public async Task Should_end_with_every_change_at_the_head_office_once()
    {
        await using var system = await SyncSystem.StartAsync(["ra", "rb"], ackTimeout: TimeSpan.FromSeconds(15),
            broker: BrokerOptions.QuorumCluster, headOfficeReplicas: 2);
        using var stop = new CancellationTokenSource();
        var writers = system.Branches.Select((branch, i) => WriteUntilAsync(new SalesWorkload(branch, seed: 50 + i), stop.Token)).ToArray();

        // A rolling restart, as an upgrade does it: one node at a time, the next once the cluster is whole again.
        for (var node = 1; node <= 3; node++)
        {
            await TestServers.ControlAsync("stop-node", node.ToString());
            await TestServers.ControlAsync("start-node", node.ToString());
            await system.Broker.WaitUntilWholeAsync(TimeSpan.FromSeconds(90));
        }

        await stop.CancelAsync();
        var writes = await Task.WhenAll(writers);
        Assert.All(writes, count => Assert.True(count > 0, "a branch wrote nothing during the restarts"));
        await system.WaitUntilAllAckedAsync(TestBroker.CatchUpAfterNodeLoss);

        await system.EnsureInvariantsHoldAsync();
    }

    private static async Task<int> WriteUntilAsync(SalesWorkload workload, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await workload.WriteOneAsync();
        }

        return workload.Writes;
    }
}

public sealed class When_the_ingest_queues_leader_is_killed_in_the_middle_of_a_drain
{
    [Fact]
    public async Task Should_go_on_with_a_new_leader_and_lose_nothing()
    {
        await using var system = await SyncSystem.StartAsync(["d"], ackTimeout: TimeSpan.FromSeconds(10),
            broker: BrokerOptions.QuorumCluster, headOfficeReplicas: 2);
        var branch = system.Branch("d");
        var management = system.Broker.Management;
        await branch.RecordBacklogAsync(30_000);

        // Both replicas consume and the branch publishes while the leader dies: batches in flight both ways.
        await branch.UntilAckedAsync(5_000, TimeSpan.FromSeconds(90), "ingest reaches 5,000 rows");
        var leader = (await management.QueueAsync(system.VirtualHost, HeadOfficeTopology.BatchQueue))!.Value.GetProperty("leader").GetString()!;
        await TestServers.ControlAsync("kill-node", TestBroker.NodeNumber(leader).ToString());
        try
        {
            Assert.True(await branch.CountNotAckedAsync() > 0, "the drain was over before the kill; the spec proves nothing");
            await branch.WaitUntilAllAckedAsync(TestBroker.CatchUpAfterNodeLoss);

            Assert.NotEqual(leader, (await management.QueueAsync(system.VirtualHost, HeadOfficeTopology.BatchQueue))!.Value.GetProperty("leader").GetString());
            await system.EnsureInvariantsHoldAsync();
        }
        finally
        {
            await TestServers.ControlAsync("start-node", TestBroker.NodeNumber(leader).ToString());
        }

        await system.Broker.WaitUntilWholeAsync(TimeSpan.FromSeconds(90));
    }
}
