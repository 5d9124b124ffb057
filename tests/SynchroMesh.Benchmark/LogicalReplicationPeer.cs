using System.Diagnostics;

namespace SynchroMesh.Benchmark;

/// <summary>
/// The peer: what a database administrator would set up instead of SynchroMesh, PostgreSQL's own logical replication,
/// draining the same backlog on the same server. Each branch's database publishes its table (in a schema of its own);
/// the head office's database subscribes to every one. The backlog is written while the subscriptions are disabled, as
/// the tills write it: each sale, then each update and soft delete of the drain's mix, a transaction of its own; the
/// clock runs from enabling them all until
/// every head-office table holds what its branch holds. Set up, measured and torn down here; <c>wal_level</c> is set to
/// <c>logical</c> for the run and put back to what it was.
/// </summary>
/// <remarks>
/// It carries no acks, no identity and no per-row state: it is the rate to beat, not a like-for-like design. The
/// subscriptions connect to the same server, so their slots are made beforehand (a subscription that makes its own slot
/// on its own server waits forever for itself); they connect over the Unix socket as the server's superuser, which
/// needs no password. Statements that need a superuser run through <c>psql</c> as the <c>postgres</c> user, so the
/// benchmark runs as root, as <c>deploy/servers.sh</c> does.
/// </remarks>
public sealed class LogicalReplicationPeer(BenchmarkSettings settings, TextWriter log)
{
    private static readonly TimeSpan StallLimit = TimeSpan.FromMinutes(5);

    private static readonly string Table = $"""
        id bigint PRIMARY KEY,
        date date NOT NULL, product varchar(200) NOT NULL, region varchar(100) NOT NULL,
        qty bigint NOT NULL, cost numeric(19,4) NOT NULL, tax real NOT NULL,
        created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, deleted_at timestamptz
        """;

    /// <summary>What a branch's table holds, summed so that two tables compare in one row each.</summary>
    private const string Summary =
        "SELECT count(*), count(deleted_at), coalesce(sum(extract(epoch FROM updated_at)), 0)::numeric FROM {0}.products";

    public async Task<PeerResult> RunAsync()
    {
        var walLevel = await ScalarAsync<string>(TestDatabase.ServerConnectionString, "SHOW wal_level");
        await TestServers.ControlAsync("wal-level", "logical");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var branches = new List<TestDatabase>();
        TestDatabase? headOffice = null;
        try
        {
            headOffice = await TestDatabase.CreateAsync("sm_peer_ho");
            for (var b = 1; b <= settings.Branches; b++)
            {
                var branch = await TestDatabase.CreateAsync($"sm_peer_b{b}");
                branches.Add(branch);
                await SetUpAsync(branch, headOffice, Schema(b), $"sm_peer_{suffix}_{b}");
            }

            var expected = new List<string>();
            for (var b = 1; b <= settings.Branches; b++)
            {
                await WriteBacklogAsync(branches[b - 1], b);
                expected.Add(await SummaryAsync(branches[b - 1].ConnectionString, Schema(b)));
            }

            log.WriteLine($"peer: {settings.Branches} branches x {settings.RowsPerBranch:N0} rows written with the subscriptions disabled; enabling them");
            var clock = Stopwatch.StartNew();
            // One transaction: every subscription starts at the same moment.
            await SuperuserAsync(headOffice.Name, string.Join(';', Enumerable.Range(1, settings.Branches)
                .Select(b => $"ALTER SUBSCRIPTION sm_peer_{suffix}_{b} ENABLE")));
            await WaitUntilCaughtUpAsync(headOffice, expected, clock);
            var seconds = clock.Elapsed.TotalSeconds;
            log.WriteLine($"peer (PostgreSQL logical replication):   {settings.TotalRows / seconds,10:N0} rows/s");
            return new PeerResult(settings.TotalRows, seconds, settings.TotalRows / seconds);
        }
        finally
        {
            if (headOffice is not null)
            {
                // Dropping a subscription drops its slot at the branch too.
                await SuperuserAsync(headOffice.Name, [.. Enumerable.Range(1, branches.Count)
                    .Select(b => $"DROP SUBSCRIPTION IF EXISTS sm_peer_{suffix}_{b}")]);
                await headOffice.DisposeAsync();
            }

            foreach (var branch in branches)
            {
                await branch.DisposeAsync();
            }

            await TestServers.ControlAsync("wal-level", walLevel);
        }
    }

    private static string Schema(int branch) => $"branch_{branch}";

    /// <summary>The test server's port, which the superuser's Unix socket shares.</summary>
    private static int Port => new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString).Port;

    private static async Task SetUpAsync(TestDatabase branch, TestDatabase headOffice, string schema, string name)
    {
        await ExecuteAsync(branch.ConnectionString, $"CREATE SCHEMA {schema}; CREATE TABLE {schema}.products ({Table}); CREATE PUBLICATION {name} FOR TABLE {schema}.products");
        await ExecuteAsync(headOffice.ConnectionString, $"CREATE SCHEMA {schema}; CREATE TABLE {schema}.products ({Table})");
        await SuperuserAsync(branch.Name, $"SELECT pg_create_logical_replication_slot('{name}', 'pgoutput')");
        await SuperuserAsync(headOffice.Name,
            $"CREATE SUBSCRIPTION {name} CONNECTION 'host=/var/run/postgresql port={Port} dbname={branch.Name} user=postgres' " +
            $"PUBLICATION {name} WITH (create_slot = false, slot_name = '{name}', enabled = false, copy_data = false)");
    }

    /// <summary>
    /// The backlog as the tills write it: every sale its own transaction, then every update and soft delete of the mix
    /// its own (what logical replication replays one transaction at a time), from a staging table outside the
    /// publication that holds the same rows the drain moves. A procedure makes them on the server, committing after
    /// each, with synchronous commit off for this session only, so the writing is quick and the measured replay is not
    /// touched.
    /// </summary>
    private async Task WriteBacklogAsync(TestDatabase branch, int number)
    {
        var schema = Schema(number);
        var created = settings with { UpdatedPercent = 0, DeletedPercent = 0 };
        await using var connection = new NpgsqlConnection(branch.ConnectionString);
        await connection.OpenAsync();
        await using (var stage = new NpgsqlCommand($"CREATE TABLE {schema}.staged ({Table})", connection))
        {
            await stage.ExecuteNonQueryAsync();
        }

        await using (var writer = await connection.BeginBinaryImportAsync(
            $"COPY {schema}.staged (id, {BenchRowCopy.SaleColumns}) FROM STDIN (FORMAT BINARY)"))
        {
            for (var n = 1L; n <= settings.RowsPerBranch; n++)
            {
                var row = BenchRows.Make($"peer-{number}", n, created);
                await writer.StartRowAsync();
                await writer.WriteAsync(row.ExternalId);
                await BenchRowCopy.WriteSaleAsync(writer, row);
            }

            await writer.CompleteAsync();
        }

        var changed = settings.UpdatedPercent + settings.DeletedPercent;
        await using var replay = new NpgsqlCommand($"""
            SET synchronous_commit = off;
            CREATE PROCEDURE {schema}.replay() LANGUAGE plpgsql AS $$
            DECLARE r record;
            BEGIN
                FOR r IN SELECT id FROM {schema}.staged ORDER BY id LOOP
                    INSERT INTO {schema}.products SELECT * FROM {schema}.staged WHERE id = r.id;
                    COMMIT;
                END LOOP;
                FOR r IN SELECT id FROM {schema}.staged WHERE id % 100 < {changed} ORDER BY id LOOP
                    UPDATE {schema}.products SET updated_at = updated_at + interval '1 minute' WHERE id = r.id;
                    COMMIT;
                END LOOP;
                FOR r IN SELECT id FROM {schema}.staged WHERE id % 100 < {settings.DeletedPercent} ORDER BY id LOOP
                    UPDATE {schema}.products SET updated_at = updated_at + interval '1 minute',
                        deleted_at = updated_at + interval '1 minute' WHERE id = r.id;
                    COMMIT;
                END LOOP;
            END $$;
            """, connection);
        await replay.ExecuteNonQueryAsync();
        await using var call = new NpgsqlCommand($"CALL {schema}.replay()", connection) { CommandTimeout = 600 };
        await call.ExecuteNonQueryAsync();
    }

    /// <summary>Polled four times a second until every head-office table matches its branch's summary.</summary>
    private async Task WaitUntilCaughtUpAsync(TestDatabase headOffice, List<string> expected, Stopwatch clock)
    {
        var lastChange = clock.Elapsed;
        var last = "";
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (true)
        {
            var found = new List<string>();
            for (var b = 1; b <= expected.Count; b++)
            {
                found.Add(await SummaryAsync(headOffice.ConnectionString, Schema(b)));
            }

            if (found.SequenceEqual(expected))
            {
                return;
            }

            var now = string.Join(';', found);
            if (now != last)
            {
                (last, lastChange) = (now, clock.Elapsed);
            }
            else if (clock.Elapsed - lastChange > StallLimit)
            {
                throw new TimeoutException($"logical replication made no progress for {StallLimit.TotalMinutes} minutes: head office {now}, branches {string.Join(';', expected)}");
            }

            await poll.WaitForNextTickAsync();
        }
    }

    private static async Task<string> SummaryAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, Summary, schema), connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return $"{reader.GetInt64(0)} rows, {reader.GetInt64(1)} deleted, {reader.GetDecimal(2)}";
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Statements that need PostgreSQL's superuser, through psql as the <c>postgres</c> user over the Unix socket, each in
    /// a transaction of its own (creating or dropping a subscription may not share one).
    /// </summary>
    private static async Task SuperuserAsync(string database, params string[] statements)
    {
        var (exitCode, output) = await ChildProcess.RunAsync("runuser",
            ["-u", "postgres", "--", "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "/var/run/postgresql",
             "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-d", database, .. statements.SelectMany(s => new[] { "-c", s })],
            TimeSpan.FromMinutes(1));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"psql as postgres on {database} failed ({exitCode}): {string.Join("; ", statements)}\n{output}");
        }
    }
}

public sealed record PeerResult(int Rows, double Seconds, double RowsPerSecond);
