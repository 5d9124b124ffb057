using Npgsql;

namespace SynchroMesh.Messaging.Postgres.Tests.Infrastructure;

/// <summary>
/// A uniquely named database on the test server, created for one test class and dropped after it.
/// The server comes from <c>SYNCHROMESH_TEST_POSTGRES</c>; a missing server fails the test, never falls back.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=synchromesh;Password=synchromesh";

    readonly string _serverConnectionString;

    public PostgresDatabase()
    {
        _serverConnectionString = Environment.GetEnvironmentVariable("SYNCHROMESH_TEST_POSTGRES") is { Length: > 0 } configured
            ? configured
            : DefaultServer;

        Name = $"sm_test_{Guid.NewGuid():N}";
        ConnectionString = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = Name, Pooling = true }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public async Task InitializeAsync()
    {
        try
        {
            await ExecuteOnServer($"CREATE DATABASE \"{Name}\"");
        }
        catch (NpgsqlException exception)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is required for these specs and could not be reached with '{Redacted()}' " +
                "(set SYNCHROMESH_TEST_POSTGRES or start the server: deploy/servers.sh).", exception);
        }
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServer($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    public async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> Scalar<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    async Task ExecuteOnServer(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    string Redacted() => new NpgsqlConnectionStringBuilder(_serverConnectionString) { Password = null }.ConnectionString;
}
