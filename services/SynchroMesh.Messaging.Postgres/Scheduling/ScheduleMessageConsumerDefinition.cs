using MassTransit;

namespace SynchroMesh.Messaging.Postgres.Scheduling;

internal sealed class ScheduleMessageConsumerDefinition : ConsumerDefinition<ScheduleMessageConsumer>
{
    public ScheduleMessageConsumerDefinition(PostgresQuartzSchedulerOptions options)
    {
        EndpointName = options.QueueName;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ScheduleMessageConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // Rides out a short database hiccup; both consumers share the endpoint, so retry is set per consumer.
        consumerConfigurator.UseMessageRetry(r => r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200)));
    }
}
