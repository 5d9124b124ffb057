namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling.Model;

public sealed class ParcelStateDefinition : SagaDefinition<ParcelState>
{
    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<ParcelState> sagaConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Intervals(50, 200, 500));
        // Holds the ScheduleMessage until the saga row that stores its token is committed.
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
