using System.Diagnostics;
using System.Text.Json;

namespace SynchroMesh.FaultLab;

/// <summary>
/// A head office and its branches in podman containers, as <c>deploy/containers.sh</c> runs them (a project of its own,
/// so that it leaves a developer's containers alone), and what a test does to them: cut a branch's network, kill or
/// stop a container, read a container's state and log. Disposing takes everything down.
/// </summary>
public sealed class ContainerOffices : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, string> _environment;
    private readonly string _stateDirectory;
    private readonly int _postgresPort;

    private ContainerOffices(string project, int httpPort, int postgresPort, IReadOnlyList<string> branchIds)
    {
        Project = project;
        _postgresPort = postgresPort;
        _stateDirectory = Path.Combine(Path.GetTempPath(), $"{project}-state");
        _environment = new Dictionary<string, string>
        {
            ["SYNCHROMESH_CONTAINER_PROJECT"] = project,
            ["SYNCHROMESH_CONTAINER_STATE"] = _stateDirectory,
            ["SYNCHROMESH_BRANCHES"] = string.Join(' ', branchIds),
            ["SYNCHROMESH_HTTP_PORT"] = httpPort.ToString(),
            ["SYNCHROMESH_POSTGRES_PORT"] = postgresPort.ToString(),
            ["SYNCHROMESH_RABBIT_PORT"] = (postgresPort + 200).ToString(),
            ["SYNCHROMESH_RABBIT_MANAGEMENT_PORT"] = (postgresPort + 201).ToString(),
            ["SYNCHROMESH_TILL_KEY"] = LabCredentials.TillKey,
            ["SYNCHROMESH_REPORTING_KEY"] = LabCredentials.ReportingKey,
            ["SYNCHROMESH_OPERATOR_PASSWORD"] = LabCredentials.OperatorPassword,
        };
        HeadOfficeHttp = Client(httpPort, LabCredentials.ReportingKey);
        Branches = branchIds.Select((id, i) => new ContainerBranch(id, Client(httpPort + i + 1, LabCredentials.TillKey), () => BranchConnectionString(i))).ToList();
    }

    private static HttpClient Client(int port, string key)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add(ApiKeyOptions.Header, key);
        return client;
    }

    public string Project { get; }
    public HttpClient HeadOfficeHttp { get; }
    public IReadOnlyList<ContainerBranch> Branches { get; }

    /// <summary>The service containers, by the office they belong to ("ho" or a branch id).</summary>
    public string HeadOfficeService => ContainerName("ho", "head-office-ingest");
    public string BranchService(string branchId) => ContainerName(branchId, "branch-outbox");
    public IEnumerable<string> ServiceContainers => Branches.Select(b => BranchService(b.Id)).Prepend(HeadOfficeService);

    /// <summary>
    /// <c>containers.sh up</c>: podman set up, images built where missing, every container started and healthy. The
    /// ports: the head office's API on <paramref name="httpPort"/> and branch i's on the next ones; the head office's
    /// database on <paramref name="postgresPort"/> and branch i's on the next ones; the broker 200 and 201 above it.
    /// </summary>
    public static async Task<ContainerOffices> UpAsync(string project, int httpPort, int postgresPort, params string[] branchIds)
    {
        var offices = new ContainerOffices(project, httpPort, postgresPort, branchIds);
        try
        {
            await offices.ScriptAsync("up");
            return offices;
        }
        catch
        {
            await offices.DisposeAsync();
            throw;
        }
    }

    public Task CutAsync(string branchId) => ScriptAsync("cut", branchId);
    public Task ReconnectAsync(string branchId) => ScriptAsync("reconnect", branchId);

    /// <summary>Kills the container's main process from outside (SIGKILL), as a crash would: the runtime sees it exit.</summary>
    public async Task KillProcessAsync(string container)
    {
        var pid = int.Parse((await PodmanAsync("inspect", "--format", "{{.State.Pid}}", container)).Trim());
        using var process = Process.GetProcessById(pid);
        process.Kill();
    }

    /// <summary>podman stop: SIGTERM, then SIGKILL after <paramref name="grace"/>. Returns how long the stop took.</summary>
    public async Task<TimeSpan> StopAsync(string container, TimeSpan grace)
    {
        var stopwatch = Stopwatch.StartNew();
        await PodmanAsync("stop", "-t", ((int)grace.TotalSeconds).ToString(), container);
        return stopwatch.Elapsed;
    }

    /// <summary>podman start, then waits until the service in it answers its liveness probe.</summary>
    public async Task StartAsync(string container, HttpClient service)
    {
        await PodmanAsync("start", container);
        await Eventually.UntilAsync(async () =>
        {
            try
            {
                using var response = await service.GetAsync(ServiceHealth.LivePath);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromMinutes(1), $"{container} answers /health/live after its start");
    }

    public async Task<ContainerState> InspectAsync(string container)
    {
        using var json = JsonDocument.Parse(await PodmanAsync("inspect", "--format", "json", container));
        var root = json.RootElement[0];
        var state = root.GetProperty("State");
        var health = state.TryGetProperty("Health", out var h) && h.ValueKind == JsonValueKind.Object ? h.GetProperty("Status").GetString() : null;
        var host = root.GetProperty("HostConfig");
        return new ContainerState(
            state.GetProperty("Status").GetString()!,
            health,
            state.GetProperty("ExitCode").GetInt32(),
            root.GetProperty("RestartCount").GetInt32(),
            root.GetProperty("Config").GetProperty("User").GetString() ?? "",
            host.GetProperty("ReadonlyRootfs").GetBoolean(),
            host.GetProperty("RestartPolicy").GetProperty("Name").GetString() ?? "");
    }

    /// <summary>What the container wrote to stdout and stderr, a line each.</summary>
    public async Task<string[]> LogAsync(string container) =>
        (await PodmanAsync("logs", container)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public Task<InvariantReport> CheckAsync(ContainerBranch branch) =>
        InvariantChecker.CheckAtAsync(branch.Id, branch.ConnectionString, HeadOfficeConnectionString);

    public string HeadOfficeConnectionString =>
        ConnectionString(_postgresPort, "synchromesh_head_office", Secret("HO_POSTGRES_PASSWORD"));

    public async ValueTask DisposeAsync()
    {
        HeadOfficeHttp.Dispose();
        foreach (var branch in Branches)
        {
            branch.Dispose();
        }

        await ScriptAsync("down");
    }

    private string BranchConnectionString(int index) =>
        ConnectionString(_postgresPort + index + 1, "synchromesh_branch", Secret("BRANCH_POSTGRES_PASSWORD"));

    private static string ConnectionString(int port, string database, string password) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Database = database, Username = "synchromesh", Password = password,
            GssEncryptionMode = GssEncryptionMode.Disable, Pooling = false,
        }.ConnectionString;

    /// <summary>A password the script made for this run (its secrets.env).</summary>
    private string Secret(string name) =>
        File.ReadLines(Path.Combine(_stateDirectory, "secrets.env"))
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0] == name)
            .Select(pair => pair[1])
            .SingleOrDefault() ?? throw new InvalidOperationException($"{name} is not in {_stateDirectory}/secrets.env");

    private string ContainerName(string office, string service) => $"{Project}-{office}_{service}_1";

    private async Task ScriptAsync(params string[] arguments)
    {
        var script = Path.Combine(RepositoryRoot.Path, "deploy", "containers.sh");
        var (exitCode, output) = await ChildProcess.RunAsync("bash", [script, .. arguments], ScriptTimeout, _environment);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"containers.sh {string.Join(' ', arguments)} exited with {exitCode}:\n{output}");
        }
    }

    private static Task<string> PodmanAsync(params string[] arguments) =>
        ChildProcess.StandardOutputOfAsync("podman", arguments, TimeSpan.FromMinutes(1));
}

/// <summary>A branch in its container: its API on the host, its database on a host port.</summary>
public sealed class ContainerBranch(string id, HttpClient http, Func<string> connectionString) : IBranchSales, IDisposable
{
    public string Id { get; } = id;
    public HttpClient Http => http;
    public BranchApi Api { get; } = new(id, http);
    public string ConnectionString => connectionString();

    public async Task<NpgsqlConnection> ConnectAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public void Dispose() => http.Dispose();
}

/// <summary>A container as podman reports it.</summary>
public sealed record ContainerState(
    string Status, string? Health, int ExitCode, int RestartCount, string User, bool ReadOnlyRootFileSystem, string RestartPolicy);
