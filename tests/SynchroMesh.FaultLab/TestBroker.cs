namespace SynchroMesh.FaultLab;

/// <summary>
/// A broker the lab runs systems on: the single development node, or the three-node cluster that
/// <c>deploy/servers.sh start-cluster</c> runs beside it (node N: AMQP 570N, management 1570N). A cluster's management
/// API is asked at the first node that answers, so a spec can still look into the broker while a node is down.
/// </summary>
public sealed class TestBroker
{
    private TestBroker(string host, IReadOnlyList<int> amqpPorts, IReadOnlyList<int> managementPorts)
    {
        Host = host;
        AmqpPorts = amqpPorts;
        ManagementPorts = managementPorts;
        Management = new RabbitManagementClient(
            new Uri($"http://{host}:{managementPorts[0]}"), TestServers.RabbitUser, TestServers.RabbitPassword,
            new FirstAnsweringNode(managementPorts));
    }

    /// <summary>
    /// How long a spec waits for a branch to catch up after a node's loss: on RabbitMQ 3.10 a channel that first publishes
    /// to a quorum queue while its leader is being elected may have every publish refused from then on, until the
    /// supervisor restarts the branch's bus (after the outbox's grace, 2 minutes); then the drain.
    /// </summary>
    public static readonly TimeSpan CatchUpAfterNodeLoss = TimeSpan.FromMinutes(5);

    public static TestBroker Single { get; } = new(TestServers.RabbitHost, [TestServers.RabbitPort], [TestServers.RabbitManagementPort]);

    public static TestBroker Cluster { get; } = new(TestServers.RabbitHost, [5701, 5702, 5703], [15701, 15702, 15703]);

    public string Host { get; }
    public IReadOnlyList<int> AmqpPorts { get; }
    public IReadOnlyList<int> ManagementPorts { get; }
    public bool IsCluster => AmqpPorts.Count > 1;
    public RabbitManagementClient Management { get; }

    /// <summary>The broker's nodes as the services' <c>RabbitMq:Nodes</c> setting takes them.</summary>
    public string Nodes => string.Join(',', AmqpPorts.Select(port => $"{Host}:{port}"));

    /// <summary>Waits until every node of the broker runs and sees all the others (a cut or restarted node has rejoined).</summary>
    public Task WaitUntilWholeAsync(TimeSpan timeout) =>
        Eventually.UntilAsync(async () =>
            await AnswerOrNullAsync(() => Management.NodesAsync()) is { } nodes
            && nodes.Count == AmqpPorts.Count
            && nodes.All(node => node.TryGetProperty("running", out var running) && running.GetBoolean()
                                 && (!node.TryGetProperty("partitions", out var partitions) || partitions.GetArrayLength() == 0)),
            timeout, $"all {AmqpPorts.Count} nodes of the broker run together");

    /// <summary>
    /// Before a system starts on the cluster: restarts the nodes whose management API takes the request and does not list
    /// the virtual hosts within the management client's timeout (30 s, well above the cluster's 15 s net tick, after which
    /// the other nodes stop waiting for a peer that went silent). A RabbitMQ 3.10 node can hang after a cut heals: its
    /// process alive, its virtual-host operations never returning; a node waiting on it can stop answering too, and then
    /// all three are restarted, since two killed would leave the third paused alone. Nodes that refuse the connection are
    /// restarted too (a node paused in a minority keeps its process and closes its ports); then the lab waits until the
    /// cluster is whole. A spec that left the cluster degraded on purpose has ended by then; no spec inherits it. Returns
    /// the nodes found hung; each repair is written to <c>lab.log</c> beside the services' logs.
    /// </summary>
    public async Task<IReadOnlyList<int>> RestartHungNodesAsync()
    {
        if (!IsCluster)
        {
            return [];
        }

        var answers = await Task.WhenAll(Enumerable.Range(1, ManagementPorts.Count).Select(async node =>
        {
            using var management = new RabbitManagementClient(
                new Uri($"http://{Host}:{ManagementPorts[node - 1]}"), TestServers.RabbitUser, TestServers.RabbitPassword);
            try
            {
                await management.VirtualHostsAsync();
                return (Node: node, Hung: false, Down: false);
            }
            catch (BrokerManagementException ex)
            {
                // Any HTTP answer, even an error, comes from a node that is not hung.
                return (Node: node, Hung: ex.InnerException is TaskCanceledException, Down: ex.InnerException is HttpRequestException);
            }
            catch (System.Text.Json.JsonException)
            {
                return (Node: node, Hung: false, Down: false);
            }
        }));

        var hung = answers.Where(a => a.Hung).Select(a => a.Node).ToList();
        var down = answers.Where(a => a.Down).Select(a => a.Node).ToList();
        if (hung.Count > 0 || down.Count > 0)
        {
            // Two nodes killed would leave the third alone, paused (pause_minority): then all three boot together. A node
            // that refuses the connection may have no process, or one paused in a minority with its ports closed,
            // which only a restart brings back.
            var restart = hung.Count > 1 ? [.. Enumerable.Range(1, ManagementPorts.Count)] : hung.Concat(down).ToList();
            await RestartAsync(restart, $"nodes [{string.Join(", ", hung)}] did not list the virtual hosts within the management client's timeout; nodes [{string.Join(", ", down)}] refused the connection");
        }

        return hung;
    }

    /// <summary>Creates a virtual host (<see cref="AnsweredAsync"/>).</summary>
    public Task CreateVirtualHostAsync(string virtualHost) =>
        AnsweredAsync(() => Management.CreateVirtualHostAsync(virtualHost), $"creating the virtual host {virtualHost}");

    /// <summary>Deletes a virtual host (<see cref="AnsweredAsync"/>).</summary>
    public Task DeleteVirtualHostAsync(string virtualHost) =>
        AnsweredAsync(() => Management.DeleteVirtualHostAsync(virtualHost), $"deleting the virtual host {virtualHost}");

    /// <summary>
    /// A management call that, on the cluster, has every node restarted and is made once more when it gets no answer
    /// within the management client's timeout: the node it waits on may be any of them.
    /// </summary>
    private async Task AnsweredAsync(Func<Task> call, string what)
    {
        try
        {
            await call();
        }
        catch (BrokerManagementException ex) when (IsCluster && ex.InnerException is TaskCanceledException)
        {
            await RestartAsync([.. Enumerable.Range(1, ManagementPorts.Count)], $"{what} got no answer: {ex.Message}");
            await call();
        }
    }

    /// <summary>
    /// Kills <paramref name="nodes"/> (their cut lifted first) and starts every node that is down at once, as
    /// <c>start-cluster</c> does (a node booting alone waits for the peers it last saw); then waits until the cluster is whole.
    /// </summary>
    private async Task RestartAsync(IReadOnlyList<int> nodes, string reason)
    {
        await File.AppendAllTextAsync(Path.Combine(Directory.CreateDirectory(ServiceLogs.Root).FullName, "lab.log"),
            $"{DateTimeOffset.UtcNow:O} lab: {reason}; restarting nodes [{string.Join(", ", nodes)}] and starting any that are down{Environment.NewLine}");
        foreach (var node in nodes)
        {
            await TestServers.ControlAsync("heal-node", node.ToString());
            await TestServers.ControlAsync("kill-node", node.ToString());
        }

        await TestServers.ControlAsync("start-cluster");
        await WaitUntilWholeAsync(TimeSpan.FromSeconds(120));
    }

    /// <summary>The nodes a broker user's open connections are on.</summary>
    public async Task<string[]> NodesOfAsync(string user) =>
        [.. (await Management.ConnectionsAsync(user)).Select(c => c.GetProperty("node").GetString()!).Distinct()];

    /// <summary>
    /// The one node a broker user's connections are on, once the management API shows them: its connection statistics
    /// come every few seconds, so a connection opened a moment ago may not be listed yet.
    /// </summary>
    public async Task<string> NodeOfAsync(string user)
    {
        string[] nodes = [];
        await Eventually.UntilAsync(async () => (nodes = await NodesOfAsync(user)).Length == 1, TimeSpan.FromSeconds(30),
            $"the management API shows {user}'s connections on one node", () => Task.FromResult(string.Join(", ", nodes)));
        return nodes[0];
    }

    /// <summary>
    /// <see cref="NodesOfAsync"/>, or null while the cluster cannot say: with a node being cut off, the management API
    /// answers 500 for what it cannot gather from that node until the others have counted it gone.
    /// </summary>
    public Task<string[]?> NodesOfWhileSplitAsync(string user) => AnswerOrNullAsync(() => NodesOfAsync(user));

    /// <summary>The management API's answer, or null for an error a node that is pausing, booting or cut off gives meanwhile.</summary>
    private static async Task<T?> AnswerOrNullAsync<T>(Func<Task<T>> ask)
        where T : class
    {
        try
        {
            return await ask();
        }
        catch (Exception ex) when (ex is BrokerManagementException or HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>The cluster's node N (from 1) as RabbitMQ names it.</summary>
    public static string NodeName(int node) => $"rabbit-n{node}@localhost";

    /// <summary>Which node of the cluster a node name is (from 1).</summary>
    public static int NodeNumber(string nodeName) =>
        int.Parse(nodeName.AsSpan()["rabbit-n".Length..nodeName.IndexOf('@', StringComparison.Ordinal)]);

    /// <summary>
    /// Sends each request to the first management port that takes the connection: on a cluster every node serves the
    /// same API, and a node that is down or paused refuses it.
    /// </summary>
    private sealed class FirstAnsweringNode(IReadOnlyList<int> ports) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var original = request.RequestUri!;
            for (var i = 0; ; i++)
            {
                request.RequestUri = new UriBuilder(original) { Port = ports[i] }.Uri;
                try
                {
                    return await base.SendAsync(request, cancellationToken);
                }
                catch (HttpRequestException) when (i + 1 < ports.Count && !cancellationToken.IsCancellationRequested)
                {
                    // The next node.
                }
            }
        }
    }
}
