using SynchroMesh.Broker;

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

    /// <summary>How long a node's management API may take to list the virtual hosts before the lab counts it hung.</summary>
    private static readonly TimeSpan NodeAnswer = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Restarts the nodes of the cluster that do not list the virtual hosts within <see cref="NodeAnswer"/> and waits
    /// until the cluster is whole again. A node of RabbitMQ 3.10 has been seen to hang for good after a cut healed (its
    /// process alive, its virtual-host operations never returning), which no later spec could get past: each spec on the
    /// cluster starts on nodes that answer, as an operator would restart such a node. A node that waits on a hung peer
    /// does not answer either and is restarted with it; the nodes killed boot together (<c>start-cluster</c>), since a
    /// node booting alone waits for the peers it last saw. Returns the nodes restarted.
    /// </summary>
    public async Task<IReadOnlyList<int>> RestartHungNodesAsync()
    {
        if (!IsCluster)
        {
            return [];
        }

        using var http = new HttpClient { Timeout = NodeAnswer };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{TestServers.RabbitUser}:{TestServers.RabbitPassword}")));
        var answers = await Task.WhenAll(Enumerable.Range(1, ManagementPorts.Count).Select(async node =>
        {
            try
            {
                using var answer = await http.GetAsync($"http://{Host}:{ManagementPorts[node - 1]}/api/vhosts");
                answer.EnsureSuccessStatusCode();
                return (Node: node, Problem: (string?)null);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return (Node: node, Problem: $"{ex.GetType().Name}: {ex.Message}");
            }
        }));

        var hung = answers.Where(a => a.Problem is not null).ToList();
        if (hung.Count == 0)
        {
            return [];
        }

        foreach (var (node, problem) in hung)
        {
            Console.Error.WriteLine($"lab: cluster node {node} did not list the virtual hosts within {NodeAnswer.TotalSeconds:0} s ({problem}); restarting it");
            await TestServers.ControlAsync("kill-node", node.ToString());
        }

        await TestServers.ControlAsync("start-cluster");
        await WaitUntilWholeAsync(TimeSpan.FromSeconds(120));
        return [.. hung.Select(a => a.Node)];
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
