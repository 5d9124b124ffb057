using Npgsql;

namespace SynchroMesh.Testing;

/// <summary>
/// A database of a test's own on the test PostgreSQL server: made here (<see cref="CreateAsync"/>) or by the service under
/// test from its connection string (<see cref="ConnectionStringFor"/>), and dropped at the end however busy it still is
/// (<see cref="DropAsync"/>). The server is the one <c>deploy/servers.sh</c> starts unless <c>SYNCHROMESH_TEST_POSTGRES</c>
/// names another; there is no fallback: a missing server fails the test loudly.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string name)
    {
        Name = name;
        ConnectionString = ConnectionStringFor(name);
    }

    /// <summary>The test server, connected to its <c>postgres</c> database, as a role that may create and drop databases.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("SYNCHROMESH_TEST_POSTGRES") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Port=5432;Username=synchromesh;Password=synchromesh;Database=postgres";

    public string Name { get; }
    public string ConnectionString { get; }

    /// <summary>A connection string to a database of this name on the test server (it need not exist yet).</summary>
    public static string ConnectionStringFor(string name) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;

    /// <summary>
    /// The first value of one statement on the named database, on a connection of its own; parameters by name
    /// (<c>@branch</c>).
    /// </summary>
    public static async Task<T> ScalarAsync<T>(string database, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(database);
        await using var command = Command(connection, sql, parameters);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs one statement on the named database, on a connection of its own; parameters by name.</summary>
    public static async Task ExecuteAsync(string database, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(database);
        await using var command = Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>An open connection to the named database, as another program writing its tables would hold one.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(string database)
    {
        var connection = new NpgsqlConnection(ConnectionStringFor(database));
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    /// <summary>Creates an empty database named <paramref name="prefix"/> and a unique suffix.</summary>
    public static async Task<TestDatabase> CreateAsync(string prefix)
    {
        var database = new TestDatabase($"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)]);
        try
        {
            await using var connection = new NpgsqlConnection(ServerConnectionString);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException exception) when (exception is not PostgresException)
        {
            var redacted = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Password = null }.ConnectionString;
            throw new InvalidOperationException(
                $"PostgreSQL is required for these specs and could not be reached with '{redacted}' " +
                "(set SYNCHROMESH_TEST_POSTGRES or start the server: bash deploy/servers.sh start).", exception);
        }

        return database;
    }

    public async ValueTask DisposeAsync() => await DropAsync(Name);

    /// <summary>Drops the database of this name if it exists, ending whatever still uses it.</summary>
    /// <remarks>
    /// FORCE may not end a backend it has no right to signal: an autovacuum worker (after a large benchmark, in a fault
    /// spec). A plain DROP DATABASE stops autovacuum workers by itself, but not sessions, so on that refusal the drop
    /// ends this role's own sessions on the database (the test's pooled connections among them) and drops without
    /// FORCE, again until it succeeds or a minute has passed.
    /// </remarks>
    public static async Task DropAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString);
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
        await using var backends = new NpgsqlCommand(
            "SELECT coalesce(string_agg(format('pid %s of %s', pid, coalesce(usename, 'no role')), '; '), 'none') FROM pg_stat_activity WHERE datname = @name",
            connection);
        backends.Parameters.AddWithValue("name", name);
        string? lastRefusal = null;
        await Eventually.UntilAsync(async () =>
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
        }, TimeSpan.FromSeconds(60), $"database {name} can be dropped after FORCE was refused",
            async () => $"{lastRefusal}; backends: {await backends.ExecuteScalarAsync()}", TimeSpan.FromSeconds(1));
    }
}
