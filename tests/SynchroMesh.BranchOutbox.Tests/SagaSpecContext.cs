using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SynchroMesh.BranchOutbox.StateMachines;
using SynchroMesh.Contracts;

namespace SynchroMesh.BranchOutbox.Tests;

/// <summary>One test harness per test: the product sync saga on the in-memory transport and scheduler.</summary>
public sealed class SagaSpecContext : IAsyncDisposable
{
    public const string BranchId = "spec-branch";

    private readonly ServiceProvider _provider;

    private SagaSpecContext(ServiceProvider provider)
    {
        _provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
        Saga = Harness.GetSagaStateMachineHarness<ProductSyncStateMachine, ProductSyncState>();
    }

    public ITestHarness Harness { get; }
    public ISagaStateMachineTestHarness<ProductSyncStateMachine, ProductSyncState> Saga { get; }
    public ProductSyncStateMachine Machine => Saga.StateMachine;
    public RecordingSyncLedger Ledger => _provider.GetRequiredService<RecordingSyncLedger>();

    public static async Task<SagaSpecContext> StartAsync(TimeSpan ackTimeout)
    {
        var provider = new ServiceCollection()
            .AddSingleton(Options.Create(new SyncOptions { AckTimeout = ackTimeout }))
            .AddSingleton<RecordingSyncLedger>()
            .AddScoped<IProductSyncLedger>(sp => sp.GetRequiredService<RecordingSyncLedger>())
            .AddMassTransitTestHarness(x =>
            {
                x.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromSeconds(10));
                x.AddDelayedMessageScheduler();
                x.AddSagaStateMachine<ProductSyncStateMachine, ProductSyncState>().InMemoryRepository();
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.UseDelayedMessageScheduler();
                    cfg.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider(true);
        var spec = new SagaSpecContext(provider);
        await spec.Harness.Start();
        return spec;
    }

    public static Guid SagaId(long externalId) => ProductSagaId.For(BranchId, externalId);

    public Task Sent(long externalId, long version) =>
        Harness.Bus.Publish(new ProductSent { BranchId = BranchId, ExternalId = externalId, Version = version });

    public Task Acked(long externalId, long version) =>
        Harness.Bus.Publish(new ProductAcked { BranchId = BranchId, ExternalId = externalId, Version = version });

    public ProductSyncState? Instance(long externalId) =>
        Saga.Sagas.Contains(SagaId(externalId));

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }
}
