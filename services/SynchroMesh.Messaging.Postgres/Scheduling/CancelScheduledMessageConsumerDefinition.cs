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
        consumerConfigurator.UseMessageRetry(r => r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200)));
    }
}
