using NpgsqlTypes;

namespace SynchroMesh.Benchmark;

/// <summary>
/// A throw-away database with a table shaped like the head office's (same columns, same unique key on branch id and
/// external id), for the raw floors: what PostgreSQL alone can do with the same rows.
/// </summary>
public sealed class FloorDatabase : IAsyncDisposable
{
    private static readonly string Columns = $"branch_id, external_id, version, {BenchRowCopy.SaleColumns}, received_at";

    private FloorDatabase(TestDatabase database, NpgsqlDataSource dataSource)
    {
        _database = database;
        DataSource = dataSource;
    }

    private readonly TestDatabase _database;

    public string Name => _database.Name;
    public NpgsqlDataSource DataSource { get; }

    public static async Task<FloorDatabase> CreateAsync()
    {
        var database = await TestDatabase.CreateAsync("sm_bench_floor");
        var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await using var command = dataSource.CreateCommand("""
            CREATE TABLE products (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                branch_id varchar(40) NOT NULL, external_id bigint NOT NULL, version bigint NOT NULL,
                date date NOT NULL, product varchar(200) NOT NULL, region varchar(100) NOT NULL,
                qty bigint NOT NULL, cost numeric(19,4) NOT NULL, tax real NOT NULL,
                created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, deleted_at timestamptz,
                received_at timestamptz NOT NULL,
                UNIQUE (branch_id, external_id));
            """);
        await command.ExecuteNonQueryAsync();
        return new FloorDatabase(database, dataSource);
    }

    public async Task TruncateAsync()
    {
        await using var command = DataSource.CreateCommand("TRUNCATE products");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>One statement for the whole group, idempotent and never going back a version, as the head office does.</summary>
    public async Task UpsertAsync(IReadOnlyList<ProductSubmitted> rows)
    {
        await using var command = DataSource.CreateCommand($"""
            INSERT INTO products ({Columns})
            SELECT *, now() FROM unnest(@b, @e, @v, @d, @p, @r, @q, @c, @t, @ca, @ua, @da)
            ON CONFLICT (branch_id, external_id) DO UPDATE SET
                version = excluded.version, date = excluded.date, product = excluded.product, region = excluded.region,
                qty = excluded.qty, cost = excluded.cost, tax = excluded.tax, created_at = excluded.created_at,
                updated_at = excluded.updated_at, deleted_at = excluded.deleted_at, received_at = excluded.received_at
            WHERE products.version < excluded.version
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]>("b", rows.Select(r => r.BranchId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<long[]>("e", rows.Select(r => r.ExternalId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<long[]>("v", rows.Select(r => r.Version).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<DateOnly[]>("d", rows.Select(r => r.Date).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("p", rows.Select(r => r.Product).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("r", rows.Select(r => r.Region).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<long[]>("q", rows.Select(r => (long)r.Qty).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<decimal[]>("c", rows.Select(r => r.Cost).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<float[]>("t", rows.Select(r => r.Tax).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("ca", rows.Select(r => r.CreatedAt).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("ua", rows.Select(r => r.UpdatedAt).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?[]>("da", rows.Select(r => r.DeletedAt).ToArray()));
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>PostgreSQL's binary COPY of the rows: the fastest way in, and no idempotency at all.</summary>
    public async Task CopyAsync(IEnumerable<ProductSubmitted> rows)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var writer = await connection.BeginBinaryImportAsync($"COPY products ({Columns}) FROM STDIN (FORMAT BINARY)");
        var now = DateTimeOffset.UtcNow;
        foreach (var row in rows)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(row.BranchId, NpgsqlDbType.Varchar);
            await writer.WriteAsync(row.ExternalId, NpgsqlDbType.Bigint);
            await writer.WriteAsync(row.Version, NpgsqlDbType.Bigint);
            await BenchRowCopy.WriteSaleAsync(writer, row);
            await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
        }

        await writer.CompleteAsync();
    }

    public async Task<long> CountAsync()
    {
        await using var command = DataSource.CreateCommand("SELECT count(*) FROM products");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await _database.DisposeAsync();
    }
}
