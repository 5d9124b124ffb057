namespace SynchroMesh.FaultLab;

/// <summary>
/// A head office and some branches, each a real process with its own fresh database, on the real broker.
/// Every system gets ids of its own so tests never read each other's rows.
/// </summary>
public sealed class SyncSystem : IAsyncDisposable
{
    private readonly Dictionary<string, BranchOffice> _branches = new();
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly BrokerOptions _broker;

    private SyncSystem(TimeSpan ackTimeout, BrokerOptions broker)
    {
        AckTimeout = ackTimeout;
        _broker = broker;
        var database = $"sm_it_ho_{_suffix}";
        HeadOffice = new HeadOffice(database, new ServiceProcess("SynchroMesh.HeadOfficeIngest", new Dictionary<string, string>(BrokerSettings(broker))
        {
            ["ConnectionStrings__HeadOffice"] = TestServers.Database(database),
        }));
    }

    public HeadOffice HeadOffice { get; }
    public TimeSpan AckTimeout { get; }

    public static IReadOnlyDictionary<string, string> BrokerSettings(BrokerOptions? broker = null) => new Dictionary<string, string>
    {
        ["RabbitMq__Host"] = TestServers.RabbitHost,
        ["RabbitMq__Port"] = TestServers.RabbitPort.ToString(),
        ["RabbitMq__VirtualHost"] = broker?.VirtualHost ?? "/",
        ["RabbitMq__Username"] = TestServers.RabbitUser,
        ["RabbitMq__Password"] = TestServers.RabbitPassword,
        ["RabbitMq__UseQuorumQueues"] = (broker?.UseQuorumQueues ?? false).ToString(),
    };

    /// <summary>Starts the head office and one branch per name; branch ids get a suffix unique to this system.</summary>
    public static async Task<SyncSystem> StartAsync(string[] branchNames, TimeSpan? ackTimeout = null, BrokerOptions? broker = null)
    {
        var system = new SyncSystem(ackTimeout ?? TimeSpan.FromSeconds(30), broker ?? new BrokerOptions());
        try
        {
            system.HeadOffice.Process.Start();
            foreach (var name in branchNames)
            {
                system.AddBranch(name).Process.Start();
            }

            await system.HeadOffice.Process.WaitUntilReadyAsync();
            foreach (var branch in system._branches.Values)
            {
                await branch.Process.WaitUntilReadyAsync();
            }

            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    public BranchOffice Branch(string name) => _branches[name];

    public IReadOnlyCollection<BranchOffice> Branches => _branches.Values;

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

    private BranchOffice AddBranch(string name)
    {
        // Behind links, each branch reaches the broker through a proxy of its own that a test can cut.
        var link = _broker.BehindLinks ? new LinkProxy(TestServers.RabbitHost, TestServers.RabbitPort) : null;
        var id = $"it-{name}-{_suffix}";
        var database = $"sm_it_{name}_{_suffix}";
        var process = new ServiceProcess("SynchroMesh.BranchOutbox", new Dictionary<string, string>(BrokerSettings(_broker))
        {
            ["Branch__Id"] = id,
            ["ConnectionStrings__Branch"] = TestServers.Database(database),
            ["Sync__AckTimeout"] = AckTimeout.ToString("c"),
            ["Sync__PollInterval"] = "00:00:00.200",
            ["RabbitMq__Port"] = (link?.Port ?? TestServers.RabbitPort).ToString(),
        });
        var branch = new BranchOffice(id, database, process, link);
        _branches.Add(name, branch);
        return branch;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var branch in _branches.Values)
        {
            await branch.DisposeAsync();
        }

        await HeadOffice.DisposeAsync();
    }
}

/// <summary>Which virtual host a system uses, whether its queues are quorum queues, and whether each branch reaches the broker through a <see cref="LinkProxy"/>.</summary>
public sealed record BrokerOptions(string VirtualHost = "/", bool UseQuorumQueues = false, bool BehindLinks = false);
