using System.Diagnostics;
using MassTransit;
using SynchroMesh.Broker;

namespace SynchroMesh.Benchmark;

/// <summary>
/// The head office's capacity: rows stored a second when the batches of many branches wait in its ingest queue at
/// once, with one or more replicas, on the single node and on the cluster. A load generator (the lab's administrator,
/// an impersonator, stamping each batch with its branch's user as that branch would) fills the queue while the
/// replicas are stopped; the replicas start together, and the rate is read from the rows' own times: every row over
/// the time from the first stored to the last, so that process start-up is not counted.
/// </summary>
public sealed class CapacityBenchmark(CapacitySettings settings, TextWriter log)
{
    public async Task<CapacityResult> RunAsync(string broker, int replicas)
    {
        var onCluster = broker == "cluster";
        await using var system = await SyncSystem.StartAsync([], ackTimeout: TimeSpan.FromMinutes(10),
            broker: new BrokerOptions(UseQuorumQueues: onCluster, OnCluster: onCluster), headOfficeReplicas: replicas);
        var senders = new List<(string Id, string User)>();
        for (var i = 1; i <= settings.Senders; i++)
        {
            var access = await system.ProvisionBranchAsync($"cap{i}");
            senders.Add((system.BranchId($"cap{i}"), access["RabbitMq__Username"]));
        }

        await Task.WhenAll(system.HeadOffice.Replicas.Select(replica => replica.StopAsync()));
        await PublishAsync(system, senders);
        log.WriteLine($"capacity: {settings.TotalRows:N0} rows from {settings.Senders} branches waiting in the ingest queue ({broker}); starting {replicas} replica(s)");

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(system.HeadOffice.Replicas.Select(replica => replica.StartAndWaitUntilReadyAsync()));
        // What each part spends from here on, once the replicas' start-up is behind them.
        var (storedAtReady, cpuAtReady) = (await system.HeadOffice.StoredRowsAsync(), CpuSeconds(system));
        await Eventually.UntilAsync(async () => await system.HeadOffice.StoredRowsAsync() == settings.TotalRows, TimeSpan.FromMinutes(30),
            $"the head office stores all {settings.TotalRows:N0} rows", async () => $"{await system.HeadOffice.StoredRowsAsync():N0} stored");
        var wall = clock.Elapsed.TotalSeconds;
        var cpu = CpuSeconds(system) - cpuAtReady;
        var perTenThousand = 10_000.0 / (settings.TotalRows - storedAtReady);

        var busy = await BusySecondsAsync(system);
        var steady = await SteadyRowsPerSecondAsync(system);
        var bytesPerRow = await DatabaseBytesAsync(system) / (double)settings.TotalRows;
        var result = new CapacityResult(broker, replicas, onCluster ? "quorum" : "classic", settings.TotalRows, busy, settings.TotalRows / busy, steady, wall,
            system.HeadOffice.Replicas.Select(r => r.PeakRssMegabytes()).Max(),
            new CpuCost(cpu.HeadOffice * perTenThousand, cpu.Postgres * perTenThousand, cpu.RabbitMq * perTenThousand), bytesPerRow);
        log.WriteLine($"capacity {broker,-7} {replicas} replica(s): {result.RowsPerSecond,10:N0} rows/s ({busy:0.0} s storing, {wall:0.0} s with start-up), " +
            $"{steady:N0} rows/s once warm; " +
            $"CPU s per 10,000 rows: head office {result.CpuPerTenThousandRows.HeadOffice:0.00}, PostgreSQL {result.CpuPerTenThousandRows.Postgres:0.00}, " +
            $"RabbitMQ {result.CpuPerTenThousandRows.RabbitMq:0.00} ({settings.TotalRows - storedAtReady:N0} rows after start-up)");
        return result;
    }

    /// <summary>Every branch's rows as the outbox batches them, sent straight to the ingest queue with the branch's user-id.</summary>
    private async Task PublishAsync(SyncSystem system, IReadOnlyList<(string Id, string User)> senders)
    {
        var bus = TestServers.CreateBus(system.VirtualHost, broker: system.Broker);
        await bus.StartAsync();
        try
        {
            // Into the exchange MassTransit binds to the queue: a "queue:" address would declare the queue itself, as a
            // classic queue, which a quorum queue of that name refuses.
            var endpoint = await bus.GetSendEndpoint(new Uri($"exchange:{HeadOfficeTopology.BatchQueue}"));
            var bench = settings.AsBenchmark();
            var sends = senders.SelectMany(sender => Enumerable.Range(1, settings.RowsPerSender)
                    .Select(n => BenchRows.Make(sender.Id, n, bench))
                    .Chunk(settings.RowsPerBatch)
                    .Select(rows => (sender.User, Batch: new ProductsSubmitted { BranchId = sender.Id, BatchId = NewId.NextGuid(), Products = rows })))
                .ToList();
            // Interleaved, as the batches of branches that came online together arrive.
            using var window = new SemaphoreSlim(200);
            await Task.WhenAll(sends.OrderBy(s => s.Batch.Products[0].ExternalId).Select(async send =>
            {
                await window.WaitAsync();
                try
                {
                    await endpoint.Send(send.Batch, context =>
                    {
                        if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
                        {
                            rabbit.BasicProperties.UserId = send.User;
                        }
                    });
                }
                finally
                {
                    window.Release();
                }
            }));
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static CpuCost CpuSeconds(SyncSystem system)
    {
        var (postgres, rabbitMq) = ProcessCpu.Servers(system.Broker);
        return new CpuCost(system.HeadOffice.Replicas.Sum(r => r.ProcessId is { } pid ? ProcessCpu.SecondsOf(pid) : 0), postgres, rabbitMq);
    }

    /// <summary>What the head office's schema takes on disk: its tables with their indexes and TOAST (rows, sales report, heartbeats).</summary>
    private static Task<long> DatabaseBytesAsync(SyncSystem system) =>
        system.HeadOffice.ScalarAsync<long>("""
            SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'head_office' AND c.relkind = 'r'
            """);

    /// <summary>
    /// The rate once the replicas are warm: the rows stored after the first <see cref="WarmUpShare"/> of them, over the
    /// time from then to the last. A replica started a moment ago runs much of its code unoptimized while the JIT
    /// compiles it again; a head office runs for weeks, so this is the figure its capacity is planned with.
    /// </summary>
    private static Task<double> SteadyRowsPerSecondAsync(SyncSystem system) =>
        system.HeadOffice.ScalarAsync<double>(
            "WITH warm AS (SELECT percentile_disc(@share) WITHIN GROUP (ORDER BY received_at) AS at FROM head_office.products) " +
            "SELECT count(*)::float8 / greatest(extract(epoch FROM max(p.received_at) - min(warm.at))::float8, 0.001) " +
            "FROM head_office.products p, warm WHERE p.received_at > warm.at", ("share", WarmUpShare));

    private const double WarmUpShare = 0.3;

    /// <summary>From the first row stored to the last, by the rows' own times.</summary>
    private static async Task<double> BusySecondsAsync(SyncSystem system) =>
        Math.Max(await system.HeadOffice.ScalarAsync<double>(
            "SELECT extract(epoch FROM max(received_at) - min(received_at))::float8 FROM head_office.products"), 0.001);
}

/// <param name="Seconds">From the first row stored to the last.</param>
/// <param name="SteadyRowsPerSecond">The rate after the first 30 % of the rows, once the replicas' code is compiled.</param>
/// <param name="WallSeconds">From the replicas' start to the last row stored: start-up included.</param>
/// <param name="CpuPerTenThousandRows">CPU seconds each part spent per 10,000 rows stored, after the replicas' start-up.</param>
/// <param name="DatabaseBytesPerRow">The head office's schema on disk (tables, indexes, the report's projection) over the rows stored.</param>
public sealed record CapacityResult(
    string Broker, int Replicas, string QueueType, int Rows, double Seconds, double RowsPerSecond, double SteadyRowsPerSecond, double WallSeconds,
    double PeakRssMegabytesPerReplica,
    CpuCost CpuPerTenThousandRows, double DatabaseBytesPerRow);

/// <summary>CPU seconds of the head office's replicas, PostgreSQL's processes and RabbitMQ's nodes.</summary>
public sealed record CpuCost(double HeadOffice, double Postgres, double RabbitMq)
{
    public static CpuCost operator -(CpuCost a, CpuCost b) => new(a.HeadOffice - b.HeadOffice, a.Postgres - b.Postgres, a.RabbitMq - b.RabbitMq);
}
