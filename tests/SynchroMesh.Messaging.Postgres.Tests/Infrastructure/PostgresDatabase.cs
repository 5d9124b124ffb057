namespace SynchroMesh.Messaging.Postgres.Tests.Infrastructure;

/// <summary>A database of one test class's own (<see cref="TestDatabase"/>), and the statements the specs run on it.</summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    TestDatabase? _database;

    TestDatabase Database => _database ?? throw new InvalidOperationException("the database is made in InitializeAsync");

    public string Name => Database.Name;

    public string ConnectionString => Database.ConnectionString;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync("sm_test");

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await _database.DisposeAsync();
        }
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
}
