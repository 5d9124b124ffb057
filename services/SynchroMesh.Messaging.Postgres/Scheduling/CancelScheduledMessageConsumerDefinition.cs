using MassTransit;

namespace SynchroMesh.Messaging.Postgres.Scheduling;

internal sealed class CancelScheduledMessageConsumerDefinition : ConsumerDefinition<CancelScheduledMessageConsumer>
{
    public CancelScheduledMessageConsumerDefinition(PostgresQuartzSchedulerOptions options)
    {
        EndpointName = options.QueueName;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CancelScheduledMessageConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // Schedules are sent to this queue directly (UseMessageScheduler with its address), never published: the
        // queue is not bound to MassTransit's shared scheduling exchanges, whose declaring a branch's broker user
        // is not allowed.
        endpointConfigurator.ConfigureConsumeTopology = false;
    }
}
