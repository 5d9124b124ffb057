using SynchroMesh.Messaging;

namespace SynchroMesh.FaultLab;

/// <summary>
/// Where the real servers are: the ones <c>deploy/servers.sh</c> starts, unless the environment says otherwise.
/// There is no fallback: a missing server fails the tests loudly.
/// </summary>
public static class TestServers
{
    public static string RabbitHost => Environment.GetEnvironmentVariable("SYNCHROMESH_TEST_RABBIT_HOST") ?? "127.0.0.1";
    public static int RabbitPort => int.Parse(Environment.GetEnvironmentVariable("SYNCHROMESH_TEST_RABBIT_PORT") ?? "5672");
    public static int RabbitManagementPort => int.Parse(Environment.GetEnvironmentVariable("SYNCHROMESH_TEST_RABBIT_MANAGEMENT_PORT") ?? "15672");
    /// <summary>The broker's AMQPS port and the PEM of the CA that signed its certificate (made by deploy/servers.sh).</summary>
    public static int RabbitTlsPort => int.Parse(Environment.GetEnvironmentVariable("SYNCHROMESH_TEST_RABBIT_TLS_PORT") ?? "5671");
    public static string RabbitTlsAuthority => Environment.GetEnvironmentVariable("SYNCHROMESH_TEST_RABBIT_TLS_CA") ?? "/etc/rabbitmq/tls/ca.pem";

    public static string RabbitUser => Environment.GetEnvironmentVariable("SYNCHROMESH_RABBIT_USER") ?? "synchromesh";
    public static string RabbitPassword => Environment.GetEnvironmentVariable("SYNCHROMESH_RABBIT_PASSWORD") ?? "synchromesh";

    /// <summary>The broker's management API, as the test user (an administrator): how specs cut routes, look into queues and clean up.</summary>
    public static RabbitManagementClient Management { get; } =
        new(new Uri($"http://{RabbitHost}:{RabbitManagementPort}"), RabbitUser, RabbitPassword);

    /// <summary>A service's broker settings, as environment variables.</summary>
    public static IReadOnlyDictionary<string, string> BrokerSettings(string virtualHost, int? port = null, bool quorumQueues = false) =>
        new Dictionary<string, string>
        {
            ["RabbitMq__Host"] = RabbitHost,
            ["RabbitMq__Port"] = (port ?? RabbitPort).ToString(),
            ["RabbitMq__VirtualHost"] = virtualHost,
            ["RabbitMq__Username"] = RabbitUser,
            ["RabbitMq__Password"] = RabbitPassword,
            ["RabbitMq__UseQuorumQueues"] = quorumQueues.ToString(),
        };

    /// <summary>
    /// A bus of the test's own on a system's virtual host, to publish as a foreign program would or to listen. Given
    /// <paramref name="publishAs"/>, every message carries that broker user as its user-id, as a branch's does: the
    /// test user is an impersonator (as the head office's user must be), so RabbitMQ lets it name any user. On the single
    /// node unless <paramref name="broker"/> names another (the cluster: its first node).
    /// </summary>
    public static IBusControl CreateBus(string virtualHost, Action<IRabbitMqBusFactoryConfigurator>? configure = null, string? publishAs = null,
        TestBroker? broker = null) =>
        Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(broker?.Host ?? RabbitHost, (ushort)(broker?.AmqpPorts[0] ?? RabbitPort), virtualHost, h =>
            {
                h.Username(RabbitUser);
                h.Password(RabbitPassword);
            });
            if (publishAs is not null)
            {
                cfg.StampUserId(publishAs);
            }

            configure?.Invoke(cfg);
        });

    /// <summary>
    /// Runs <c>deploy/servers.sh</c> with a command such as <c>stop-rabbit</c> or <c>kill-node 2</c>, failing the test
    /// if it fails.
    /// </summary>
    public static async Task ControlAsync(params string[] command)
    {
        var script = Path.Combine(RepositoryRoot.Path, "deploy", "servers.sh");
        var result = await ChildProcess.RunAsync("bash", [script, .. command], TimeSpan.FromMinutes(3));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"servers.sh {string.Join(' ', command)} failed ({result.ExitCode}):\n{result.Output}");
        }

        if (command[0].EndsWith("-postgres", StringComparison.Ordinal) || command[0] == "wal-level")
        {
            // The connections this process pooled died with the server (a new wal_level restarts it).
            NpgsqlConnection.ClearAllPools();
        }
    }
}
