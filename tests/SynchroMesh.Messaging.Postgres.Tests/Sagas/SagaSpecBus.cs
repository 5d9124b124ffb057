using MassTransit.Testing;

namespace SynchroMesh.Messaging.Postgres.Tests.Sagas;

/// <summary>
/// The in-memory MassTransit test harness running the shipment saga on the PostgreSQL repository,
/// wired the way an application wires it.
/// </summary>
public sealed class SagaSpecBus : IAsyncDisposable
{
    readonly ServiceProvider _provider;

    SagaSpecBus(ServiceProvider provider)
    {
        _provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
    }

    public ITestHarness Harness { get; }

    public RetryRecorder Retries => _provider.GetRequiredService<RetryRecorder>();

    public static async Task<SagaSpecBus> Start<TStateMachine>(SagaSpecDatabase database)
        where TStateMachine : class, SagaStateMachine<ShipmentState>
    {
        var services = new ServiceCollection();
        services.AddSingleton<RetryRecorder>();
        services.AddDbContext<SagaSpecDbContext>(o => o.UseNpgsql(database.Database.ConnectionString));
        services.AddMassTransitTestHarness(x =>
        {
            x.AddSagaStateMachine<TStateMachine, ShipmentState, ShipmentStateDefinition>()
                .PostgresRepository<ShipmentState, SagaSpecDbContext>();
        });

        var bus = new SagaSpecBus(services.BuildServiceProvider(validateScopes: true));
        bus.Harness.TestTimeout = SpecTimeout.Default;
        await bus.Harness.Start();
        return bus;
    }

    public Task Publish<T>(T message)
        where T : class =>
        Harness.Bus.Publish(message);

    /// <summary>Reads through <see cref="ILoadSagaRepository{TSaga}" />, which this repository also serves.</summary>
    public Task<ShipmentState?> Load(Guid shipmentId) =>
        _provider.GetRequiredService<ILoadSagaRepository<ShipmentState>>().Load(shipmentId)!;

    public async Task<bool> HasState(Guid shipmentId, Func<ShipmentState, bool> condition) =>
        await Load(shipmentId) is { } state && condition(state);

    /// <summary>Creates a shipment and waits until its saga is Open; returns its id.</summary>
    public async Task<Guid> OpenShipmentAsync(TimeSpan timeout)
    {
        var shipmentId = Guid.NewGuid();
        await Publish(new ShipmentCreated { ShipmentId = shipmentId });
        await UntilStateAsync(shipmentId, s => s.CurrentState == "Open", timeout, "the shipment is Open");
        return shipmentId;
    }

    public Task UntilStateAsync(Guid shipmentId, Func<ShipmentState, bool> condition, TimeSpan timeout, string what) =>
        Eventually.UntilAsync(() => HasState(shipmentId, condition), timeout, what);

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }
}
