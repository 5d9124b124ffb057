using MassTransit;
using MassTransit.Testing;
using SynchroMesh.BranchOutbox.Outbox;
using SynchroMesh.BranchOutbox.StateMachines;
using SynchroMesh.BranchOutbox.Sync;
using SynchroMesh.BranchOutbox.Telemetry;

namespace SynchroMesh.BranchOutbox.Tests;

/// <summary>One test harness per test: the batch saga on the in-memory transport and scheduler.</summary>
public sealed class SagaSpecContext : HarnessContext
{
    public const string BranchId = "spec-branch";

    private SagaSpecContext(ServiceProvider provider) : base(provider) =>
        Saga = Harness.GetSagaStateMachineHarness<ProductBatchStateMachine, ProductBatchState>();

    public ISagaStateMachineTestHarness<ProductBatchStateMachine, ProductBatchState> Saga { get; }
    public RecordingSyncLedger Ledger => Provider.GetRequiredService<RecordingSyncLedger>();
    public OutboxPacing Pacing => Provider.GetRequiredService<OutboxPacing>();
    public OutboxSignal Outbox => Provider.GetRequiredService<OutboxSignal>();

    /// <summary>With an ack timeout that no spec waits out: whether a batch is acked is the spec's to say.</summary>
    public static Task<SagaSpecContext> StartAsync() => StartAsync(TimeSpan.FromMinutes(5));

    public static async Task<SagaSpecContext> StartAsync(TimeSpan ackTimeout)
    {
        var provider = new ServiceCollection()
            .AddSingleton(Options.Create(new SyncOptions { AckTimeout = ackTimeout }))
            .AddSingleton(Options.Create(new BranchOptions { Id = BranchId }))
            .AddSingleton<RecordingSyncLedger>()
            .AddMetrics()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<BranchMetrics>()
            .AddSingleton<OutboxPacing>()
            .AddSingleton<OutboxSignal>()
            .AddScoped<IBatchLedger>(sp => sp.GetRequiredService<RecordingSyncLedger>())
            .AddMassTransitTestHarness(x =>
            {
                x.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromSeconds(10));
                x.AddDelayedMessageScheduler();
                x.AddSagaStateMachine<ProductBatchStateMachine, ProductBatchState>().InMemoryRepository();
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.UseDelayedMessageScheduler();
                    cfg.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider(true);
        return await StartAsync(new SagaSpecContext(provider));
    }

    public static IReadOnlyList<ProductVersion> Versions(params (long ExternalId, long Version)[] products) =>
        products.Select(p => new ProductVersion { ExternalId = p.ExternalId, Version = p.Version }).ToList();

    public Task Sent(Guid batchId, IReadOnlyList<ProductVersion> products) =>
        Harness.Bus.Publish(new ProductBatchSent { BranchId = BranchId, BatchId = batchId, ProductCount = products.Count });

    public Task Acked(Guid batchId, IReadOnlyList<ProductVersion> products, string branchId = BranchId) =>
        Harness.Bus.Publish(new ProductsAcked { BranchId = branchId, BatchId = batchId, Products = products });
}
