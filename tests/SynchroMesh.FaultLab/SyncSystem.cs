using System.Runtime.CompilerServices;

namespace SynchroMesh.FaultLab;

/// <summary>
/// A head office and some branches, each a real process with its own fresh database, on the real broker in a
/// virtual host of the system's own: no two systems share a queue, a row or a stray consumer.
/// </summary>
public sealed class SyncSystem : IAsyncDisposable
{
    private readonly Dictionary<string, BranchOffice> _branches = new();
    private readonly List<string> _brokerUsers = [];
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly bool _behindLinks;
    private readonly bool _productPace;
    private readonly bool _quorumQueues;
    private readonly List<ServiceProcess> _headOfficeReplicas = [];

    private readonly IReadOnlyDictionary<string, string> _branchSettings;

    private SyncSystem(TimeSpan ackTimeout, BrokerOptions broker, IReadOnlyDictionary<string, string>? branchSettings,
        IReadOnlyDictionary<string, string>? headOfficeSettings, int headOfficeReplicas, bool productPace, string scenario)
    {
        if (broker.OnCluster && broker.BehindLinks)
        {
            throw new ArgumentException("a system on the cluster reaches it directly: links stand in front of the single node only", nameof(broker));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(headOfficeReplicas, 1);
        Broker = broker.OnCluster ? TestBroker.Cluster : TestBroker.Single;
        _branchSettings = branchSettings ?? new Dictionary<string, string>();
        LogFolder = ServiceLogs.For(scenario, _suffix);
        AckTimeout = ackTimeout;
        _productPace = productPace;
        _behindLinks = broker.BehindLinks;
        _quorumQueues = broker.UseQuorumQueues;
        VirtualHost = $"sm-it-{_suffix}";
        var database = $"sm_it_ho_{_suffix}";
        var settings = new Dictionary<string, string>(BrokerSettings())
        {
            ["ConnectionStrings__HeadOffice"] = TestDatabase.ConnectionStringFor(database),
            // The name its traces carry where an OTLP endpoint is given (the demo's dashboard, say).
            ["OTEL_SERVICE_NAME"] = "head-office",
            // Where the head office lists its error queues: the management API of the broker the lab runs on.
            ["DeadLetters__ManagementUrl"] = Broker.Management.ManagementUrl.ToString(),
        };
        if (broker.HeadOfficeUser)
        {
            HeadOfficeUser = $"ho-{_suffix}";
            settings["RabbitMq__Username"] = HeadOfficeUser;
            settings["RabbitMq__Password"] = Guid.NewGuid().ToString("N");
        }

        foreach (var (key, value) in headOfficeSettings ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        // Replicas share the database, the queues and the broker user: as a deployment scales the head office out.
        for (var replica = 1; replica <= headOfficeReplicas; replica++)
        {
            var log = headOfficeReplicas == 1 ? "head-office.log" : $"head-office-{replica}.log";
            _headOfficeReplicas.Add(new ServiceProcess("SynchroMesh.HeadOfficeIngest", settings, Path.Combine(LogFolder, log)));
        }

        HeadOffice = new HeadOffice(database, _headOfficeReplicas);
    }

    /// <summary>The head office's own broker user (an impersonator, as a deployment's is), when the system was started with one.</summary>
    public string? HeadOfficeUser { get; }

    /// <summary>The folder that holds the whole log of each of this system's service processes.</summary>
    public string LogFolder { get; }

    public HeadOffice HeadOffice { get; }

    /// <summary>The broker this system runs on, and its management API.</summary>
    public TestBroker Broker { get; }
    public TimeSpan AckTimeout { get; }
    public string VirtualHost { get; }

    public IReadOnlyCollection<BranchOffice> Branches => _branches.Values;

    /// <summary>The broker settings of this system's services, as environment variables.</summary>
    public IReadOnlyDictionary<string, string> BrokerSettings(int? port = null)
    {
        var settings = new Dictionary<string, string>(TestServers.BrokerSettings(VirtualHost, port ?? Broker.AmqpPorts[0], _quorumQueues));
        if (Broker.IsCluster)
        {
            settings["RabbitMq__Nodes"] = Broker.Nodes;
        }

        return settings;
    }

    /// <summary>
    /// Starts the head office and one branch per name; branch ids get a suffix unique to this system.
    /// <paramref name="branchSettings"/> (environment variables) are given to every branch, over the lab's own, and
    /// <paramref name="headOfficeSettings"/> to the head office. The services' logs go to a folder named for the caller
    /// (<see cref="LogFolder"/>). With <paramref name="productPace"/> the branches keep the product's own timings, as a
    /// deployment runs them (the benchmark), instead of the lab's faster backstop poll.
    /// </summary>
    public static async Task<SyncSystem> StartAsync(
        string[] branchNames, TimeSpan? ackTimeout = null, BrokerOptions? broker = null, IReadOnlyDictionary<string, string>? branchSettings = null,
        IReadOnlyDictionary<string, string>? headOfficeSettings = null, int headOfficeReplicas = 1, bool productPace = false,
        [CallerFilePath] string callerFile = "", [CallerMemberName] string callerMember = "")
    {
        var scenario = $"{Path.GetFileNameWithoutExtension(callerFile)}-{callerMember}";
        await ((broker ?? new BrokerOptions()).OnCluster ? TestBroker.Cluster : TestBroker.Single).RestartHungNodesAsync();
        var system = new SyncSystem(ackTimeout ?? TimeSpan.FromSeconds(30), broker ?? new BrokerOptions(), branchSettings, headOfficeSettings, headOfficeReplicas, productPace, scenario);
        try
        {
            await system.Broker.CreateVirtualHostAsync(system.VirtualHost);
            if (system.HeadOfficeUser is { } user)
            {
                await system.Broker.Management.CreateUserAsync(user, system.HeadOffice.Process.Settings["RabbitMq__Password"], "impersonator", system.VirtualHost);
            }

            foreach (var replica in system._headOfficeReplicas)
            {
                replica.Start();
            }

            foreach (var name in branchNames)
            {
                (await system.AddBranchAsync(name)).Process.Start();
            }

            foreach (var replica in system._headOfficeReplicas)
            {
                await replica.WaitUntilReadyAsync();
            }

            foreach (var branch in system._branches.Values)
            {
                await branch.Process.WaitUntilReadyAsync();
            }

            return system;
        }
        catch (Exception failure)
        {
            try
            {
                await system.DisposeAsync();
            }
            catch (Exception cleanUp)
            {
                // The clean-up fails too when the servers are what failed: the start's own failure is the one to read.
                throw new AggregateException($"the system did not start ({failure.Message}), and its clean-up failed too", failure, cleanUp);
            }

            throw;
        }
    }

    public BranchOffice Branch(string name) => _branches[name];

    /// <summary>Compares every branch with the head office; call once the system is quiet.</summary>
    public async Task<IReadOnlyList<InvariantReport>> CheckInvariantsAsync()
    {
        var reports = new List<InvariantReport>();
        foreach (var branch in _branches.Values)
        {
            reports.Add(await InvariantChecker.CheckAsync(branch.Id, branch.Database, HeadOffice.Database));
        }

        return reports;
    }

    /// <summary>Waits until every branch has every row acked by the head office.</summary>
    public async Task WaitUntilAllAckedAsync(TimeSpan timeout)
    {
        foreach (var branch in _branches.Values)
        {
            await branch.WaitUntilAllAckedAsync(timeout);
        }
    }

    /// <summary>
    /// <see cref="CheckInvariantsAsync"/>, throwing with the report of each branch that breaks one: the head office holds
    /// each row exactly once, at its latest version, deletions included, and every row is acked.
    /// </summary>
    public async Task EnsureInvariantsHoldAsync()
    {
        var broken = (await CheckInvariantsAsync()).Where(report => !report.IsClean).ToList();
        if (broken.Count > 0)
        {
            throw new InvalidOperationException($"the invariants do not hold: {string.Join("; ", broken)}");
        }
    }

    /// <summary>The id a branch of this name has in this system.</summary>
    public string BranchId(string name) => $"it-{name}-{_suffix}";

    /// <summary>
    /// Gives the branch of this name its own broker user with <c>deploy/branch-access.sh</c> (revoked when the system
    /// is disposed) and returns the settings the script prints for it.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ProvisionBranchAsync(string name)
    {
        var id = BranchId(name);
        var settings = await BranchAccounts.ProvisionAsync(id, VirtualHost, Broker.Management);
        _brokerUsers.Add(id);
        return settings;
    }

    private async Task<BranchOffice> AddBranchAsync(string name)
    {
        // Behind links, each branch reaches the broker through a proxy of its own that a test can cut.
        var link = _behindLinks ? new LinkProxy(TestServers.RabbitHost, TestServers.RabbitPort) : null;
        var id = BranchId(name);
        var database = $"sm_it_{name}_{_suffix}";
        var access = await ProvisionBranchAsync(name);
        var settings = new Dictionary<string, string>(BrokerSettings(link?.Port))
        {
            ["Branch__Id"] = id,
            ["OTEL_SERVICE_NAME"] = $"branch-{id}",
            ["RabbitMq__Username"] = access["RabbitMq__Username"],
            ["RabbitMq__Password"] = access["RabbitMq__Password"],
            ["ConnectionStrings__Branch"] = TestDatabase.ConnectionStringFor(database),
            ["Sync__AckTimeout"] = AckTimeout.ToString("c"),
        };
        if (!_productPace)
        {
            // Specs do not wait out a backstop: a lost notification costs them 200 ms, not the default second.
            settings["Sync__PollInterval"] = "00:00:00.200";
        }

        foreach (var (key, value) in _branchSettings)
        {
            settings[key] = value;
        }

        var process = new ServiceProcess("SynchroMesh.BranchOutbox", settings, Path.Combine(LogFolder, $"branch-{name}.log"));
        var branch = new BranchOffice(id, database, process, link);
        _branches.Add(name, branch);
        return branch;
    }

    /// <summary>
    /// Stops every process before anything else, so that no service outlives its test even when a server is down
    /// and the clean-up of databases or the virtual host fails.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var processes = _branches.Values.Select(b => b.Process).Concat(_headOfficeReplicas);
        await Task.WhenAll(processes.Select(p => p.DisposeAsync().AsTask()));

        var cleanUps = _branches.Values.Select(b => b.DropAsync())
            .Append(TestDatabase.DropAsync(HeadOffice.Database))
            .Append(Broker.DeleteVirtualHostAsync(VirtualHost))
            .Concat(_brokerUsers.Select(id => BranchAccounts.RevokeAsync(id, VirtualHost, Broker.Management)))
            .Concat(HeadOfficeUser is { } user ? [Broker.Management.DeleteUserAsync(user)] : []);
        await Task.WhenAll(cleanUps);
    }
}

/// <summary>
/// Whether a system's queues are quorum queues, whether each branch reaches the broker through a <see cref="LinkProxy"/>,
/// whether the head office has a broker user of its own (else it uses the lab's administrator), and whether the system
/// runs on the three-node cluster (<see cref="TestBroker.Cluster"/>) instead of the single node.
/// </summary>
public sealed record BrokerOptions(bool UseQuorumQueues = false, bool BehindLinks = false, bool HeadOfficeUser = false, bool OnCluster = false)
{
    /// <summary>Quorum queues on the three-node cluster: how a customer that outgrew one broker node runs.</summary>
    public static BrokerOptions QuorumCluster { get; } = new(UseQuorumQueues: true, OnCluster: true);
}
