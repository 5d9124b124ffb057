using System.Text.Json;

namespace SynchroMesh.IntegrationTests;

/// <summary>
/// The head office as a chain that has outgrown one machine runs it: two replicas on one ingest queue, every queue a
/// quorum queue on the three-node cluster (<c>deploy/servers.sh start-cluster</c>).
/// </summary>
public sealed class When_the_head_office_runs_on_a_three_node_cluster
{
    private const string IngestQueue = HeadOfficeTopology.BatchQueue;

    [Fact]
    public async Task Should_keep_every_queue_on_all_three_nodes_and_lose_nothing_when_the_ingest_queues_leader_is_killed()
    {
        await using var system = await SyncSystem.StartAsync(["c"], ackTimeout: TimeSpan.FromSeconds(15),
            broker: BrokerOptions.QuorumCluster, headOfficeReplicas: 2);
        var branch = system.Branch("c");
        var management = system.Broker.Management;

        await branch.CreateAsync(SaleInput.Example(product: "before the kill"));
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));
        // A message no consumer can read: the ingest queue's error queue comes into being, and is a quorum queue too.
        await management.PublishRawAsync(system.VirtualHost, IngestQueue, "{ not json", RawMessages.ContentType);
        await Eventually.UntilAsync(async () => await management.MessageCountAsync(system.VirtualHost, $"{IngestQueue}_error") == 1,
            TimeSpan.FromSeconds(60), "the unreadable message is in the ingest queue's error queue");

        var queues = await management.QueuesAsync(system.VirtualHost);
        var names = queues.Select(q => q.GetProperty("name").GetString()!).ToArray();
        Assert.Contains(IngestQueue, names);
        Assert.Contains($"{IngestQueue}_error", names);
        Assert.Contains($"{branch.Id}-product-sync", names);
        Assert.Contains($"{branch.Id}-scheduler", names);
        var allNodes = Enumerable.Range(1, 3).Select(TestBroker.NodeName).ToArray();
        Assert.All(queues, queue =>
        {
            var name = queue.GetProperty("name").GetString();
            Assert.True(queue.GetProperty("type").GetString() == "quorum", $"{name} is a {queue.GetProperty("type")} queue");
            Assert.Equal(allNodes, Members(queue, "members").Order());
        });

        // A backlog waits in the ingest queue while no replica consumes: every row sent, none acked.
        await Task.WhenAll(system.HeadOffice.Replicas.Select(replica => replica.StopAsync()));
        await branch.RecordBacklogAsync(400);
        await Eventually.UntilAsync(async () => (await branch.StatusAsync()) is { NotSent: 0, WaitingForAck: 400 }, TimeSpan.FromSeconds(60),
            "the backlog is sent into the ingest queue", async () => await branch.DescribeSyncAsync());

        var leader = TestBroker.NodeNumber((await management.QueueAsync(system.VirtualHost, IngestQueue))!.Value.GetProperty("leader").GetString()!);
        await TestServers.ControlAsync("kill-node", leader.ToString());
        try
        {
            // The replicas come back while the leader's node is dead; the branch sells on, its connection moved if it was there.
            await Task.WhenAll(system.HeadOffice.Replicas.Select(replica => replica.StartAndWaitUntilReadyAsync()));
            await branch.RecordBacklogAsync(100);
            await branch.WaitUntilAllAckedAsync(TestBroker.CatchUpAfterNodeLoss);

            var newLeader = (await management.QueueAsync(system.VirtualHost, IngestQueue))!.Value.GetProperty("leader").GetString();
            Assert.NotEqual(TestBroker.NodeName(leader), newLeader);
            await system.EnsureInvariantsHoldAsync();
            Assert.Equal(501, (await system.HeadOffice.ListAsync(branch.Id)).Length);
        }
        finally
        {
            await TestServers.ControlAsync("start-node", leader.ToString());
        }

        // The restarted node takes its place in the queue again.
        await Eventually.UntilAsync(
            async () => Members((await management.QueueAsync(system.VirtualHost, IngestQueue))!.Value, "online").Count() == 3,
            TimeSpan.FromSeconds(60), "the restarted node is an online member of the ingest queue again");
    }

    [Fact]
    public async Task Should_move_a_branch_to_another_node_when_its_node_dies_and_lose_nothing()
    {
        await using var system = await SyncSystem.StartAsync(["m"], ackTimeout: TimeSpan.FromSeconds(15),
            broker: BrokerOptions.QuorumCluster);
        var branch = system.Branch("m");
        var user = new BranchTopology(branch.Id).User;
        var management = system.Broker.Management;

        await branch.CreateAsync(SaleInput.Example(product: "before the kill"));
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));
        var node = await system.Broker.NodeOfAsync(user);

        // The node dies under the branch while it writes; the head office may or may not have been on it too.
        var writing = new SalesWorkload(branch, seed: 31).WriteAsync(200);
        await TestServers.ControlAsync("kill-node", TestBroker.NodeNumber(node).ToString());
        try
        {
            await writing;
            await branch.WaitUntilAllAckedAsync(TestBroker.CatchUpAfterNodeLoss);

            Assert.NotEqual(node, await system.Broker.NodeOfAsync(user));
            await system.EnsureInvariantsHoldAsync();
        }
        finally
        {
            await TestServers.ControlAsync("start-node", TestBroker.NodeNumber(node).ToString());
        }
    }

    private static IEnumerable<string> Members(JsonElement queue, string property) =>
        queue.TryGetProperty(property, out var members) ? members.EnumerateArray().Select(m => m.GetString()!) : [];
}

/// <summary>The lab's own repair between specs: no spec inherits a cluster node that takes requests and answers none.</summary>
public sealed class When_a_cluster_node_hangs_before_a_system_starts
{
    [Fact]
    public async Task Should_restart_it_and_start_the_system_on_a_whole_cluster()
    {
        // A node whose VM is stopped (SIGSTOP) takes connections and answers nothing, like a hung node.
        var before = await NodeProcessAsync(3);
        var freeze = await ChildProcess.RunAsync("pkill", ["-STOP", "-u", "rabbitmq-n3", "-x", "beam.smp"], TimeSpan.FromSeconds(10));
        Assert.True(freeze.ExitCode == 0, $"pkill -STOP: {freeze.Output}");
        try
        {
            // Once the others count it gone (the net tick), only the stopped node itself leaves the lab's probe unanswered.
            await Eventually.UntilAsync(async () => await RunningAsync(TestBroker.NodeName(3)) == false,
                TimeSpan.FromSeconds(90), "nodes 1 and 2 count node 3 gone");
            Assert.Equal([3], await TestBroker.Cluster.RestartHungNodesAsync());
            Assert.NotEqual(before, await NodeProcessAsync(3));

            await using var system = await SyncSystem.StartAsync(["hung"], broker: BrokerOptions.QuorumCluster);
            var branch = system.Branch("hung");
            var sale = await branch.CreateAsync(SaleInput.Example(product: "after the repair"));
            await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));
            Assert.NotNull(await system.HeadOffice.GetAsync(branch.Id, sale.Id));
            await system.EnsureInvariantsHoldAsync();
            Assert.Empty(await TestBroker.Cluster.RestartHungNodesAsync());
        }
        finally
        {
            // Only matters when the repair failed: a stopped node must not outlive the spec.
            await ChildProcess.RunAsync("pkill", ["-CONT", "-u", "rabbitmq-n3", "-x", "beam.smp"], TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>The process id of node N's Erlang VM.</summary>
    private static async Task<string> NodeProcessAsync(int node) =>
        (await ChildProcess.StandardOutputOfAsync("pgrep", ["-u", $"rabbitmq-n{node}", "-x", "beam.smp"], TimeSpan.FromSeconds(10))).Trim();

    /// <summary>Whether the cluster's management API counts the node running; null while it cannot say.</summary>
    private static async Task<bool?> RunningAsync(string nodeName)
    {
        try
        {
            return (await TestBroker.Cluster.Management.NodesAsync())
                .Single(node => node.GetProperty("name").GetString() == nodeName).GetProperty("running").GetBoolean();
        }
        catch (BrokerManagementException)
        {
            return null;
        }
    }
}
