using MassTransit;
using Npgsql;

namespace SynchroMesh.FaultLab;

/// <summary>
/// Where the real servers are: the ones <c>deploy/servers.sh</c> starts, unless the environment says otherwise.
/// There is no fallback: a missing server fails the tests loudly.
/// </summary>
public static class TestServers
{
    public static string PostgresAdmin =>
        Environment.GetEnvironmentVariable("SYNCHROMESH_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Username=synchromesh;Password=synchromesh;Database=postgres";

    public static string RabbitHost => Environment.GetEnvironmentVariable("SYNCHROMESH_TEST_RABBIT_HOST") ?? "127.0.0.1";
    public static int RabbitPort => int.Parse(Environment.GetEnvironmentVariable("SYNCHROMESH_TEST_RABBIT_PORT") ?? "5672");
    public static int RabbitManagementPort => int.Parse(Environment.GetEnvironmentVariable("SYNCHROMESH_TEST_RABBIT_MANAGEMENT_PORT") ?? "15672");
    /// <summary>The broker's AMQPS port and the PEM of the CA that signed its certificate (made by deploy/servers.sh).</summary>
    public static int RabbitTlsPort => int.Parse(Environment.GetEnvironmentVariable("SYNCHROMESH_TEST_RABBIT_TLS_PORT") ?? "5671");
    public static string RabbitTlsAuthority => Environment.GetEnvironmentVariable("SYNCHROMESH_TEST_RABBIT_TLS_CA") ?? "/etc/rabbitmq/tls/ca.pem";

    public static string RabbitUser => Environment.GetEnvironmentVariable("SYNCHROMESH_RABBIT_USER") ?? "synchromesh";
    public static string RabbitPassword => Environment.GetEnvironmentVariable("SYNCHROMESH_RABBIT_PASSWORD") ?? "synchromesh";

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
    /// test user is an impersonator (as the head office's user must be), so RabbitMQ lets it name any user.
    /// </summary>
    public static IBusControl CreateBus(string virtualHost, Action<IRabbitMqBusFactoryConfigurator>? configure = null, string? publishAs = null) =>
        Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(RabbitHost, (ushort)RabbitPort, virtualHost, h =>
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

    /// <summary>The broker user that may speak for a branch (README, "Branch identity and least privilege").</summary>
    public static string BranchUser(string branchId) => "branch-" + branchId;

    /// <summary>Every message the bus sends carries <paramref name="userId"/> in its AMQP user-id property.</summary>
    public static void StampUserId(this IRabbitMqBusFactoryConfigurator cfg, string userId)
    {
        cfg.ConfigureSend(s => s.UseSendExecute(context => Stamp(context, userId)));
        cfg.ConfigurePublish(p => p.UseExecute(context => Stamp(context, userId)));
    }

    private static void Stamp(SendContext context, string userId)
    {
        if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
        {
            rabbit.BasicProperties.UserId = userId;
        }
    }

    /// <summary>A connection string to a database of this name on the test server (it need not exist yet).</summary>
    public static string Database(string name) =>
        new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name }.ConnectionString;

    /// <remarks>
    /// FORCE may not end a backend it has no right to signal: an autovacuum worker (seen after a 1,000,000-row
    /// benchmark and in a fault spec). A plain DROP DATABASE stops autovacuum workers by itself, but not sessions, so
    /// on that refusal the drop ends this role's own sessions on the database (the test's pooled connections among
    /// them) and drops without FORCE, again until it succeeds or a minute has passed.
    /// </remarks>
    public static async Task DropDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(PostgresAdmin);
        await connection.OpenAsync();
        await using var force = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        try
        {
            await force.ExecuteNonQueryAsync();
            return;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
        }

        await using var endOwnSessions = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @name AND usename = current_user AND pid <> pg_backend_pid()",
            connection);
        endOwnSessions.Parameters.AddWithValue("name", name);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\"", connection);
        string? lastRefusal = null;
        var dropped = await Eventually.HoldsWithinAsync(async () =>
        {
            await endOwnSessions.ExecuteScalarAsync();
            try
            {
                await drop.ExecuteNonQueryAsync();
                return true;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse)
            {
                lastRefusal = ex.MessageText;
                return false;
            }
        }, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));
        if (!dropped)
        {
            await using var backends = new NpgsqlCommand(
                "SELECT string_agg(format('pid %s of %s', pid, coalesce(usename, 'no role')), '; ') FROM pg_stat_activity WHERE datname = @name",
                connection);
            backends.Parameters.AddWithValue("name", name);
            throw new TimeoutException(
                $"database {name} still in use a minute after FORCE was refused: {lastRefusal}; backends: {await backends.ExecuteScalarAsync()}");
        }
    }

    /// <summary>Runs <c>deploy/servers.sh</c> with a command such as <c>stop-rabbit</c>, failing the test if it fails.</summary>
    public static async Task ControlAsync(string command)
    {
        var script = Path.Combine(RepositoryRoot.Path, "deploy", "servers.sh");
        var result = await ChildProcess.RunAsync("bash", [script, command], TimeSpan.FromMinutes(3));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"servers.sh {command} failed ({result.ExitCode}):\n{result.Output}");
        }

        if (command.EndsWith("-postgres", StringComparison.Ordinal))
        {
            // The connections this process pooled died with the server.
            NpgsqlConnection.ClearAllPools();
        }
    }
}
