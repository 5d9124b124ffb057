namespace SynchroMesh.Messaging.Postgres.Tests.Sagas.Model;

public sealed class ShipmentStateDefinition : SagaDefinition<ShipmentState>
{
    readonly RetryRecorder _retries;

    public ShipmentStateDefinition(RetryRecorder retries)
    {
        _retries = retries;

        // Several messages for one instance run at once, so concurrency conflicts really happen.
        ConcurrentMessageLimit = 8;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<ShipmentState> sagaConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Intervals(10, 20, 50, 100, 100, 200, 200, 500, 500, 1000);
            r.ConnectRetryObserver(_retries);
        });
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
