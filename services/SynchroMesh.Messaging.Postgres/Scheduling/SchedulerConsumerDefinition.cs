namespace SynchroMesh.Messaging.Postgres.Scheduling;

/// <summary>The scheduler's consumers (schedule, cancel) share one queue, <see cref="PostgresQuartzSchedulerOptions.QueueName"/>.</summary>
internal sealed class SchedulerConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    public SchedulerConsumerDefinition(PostgresQuartzSchedulerOptions options)
    {
        EndpointName = options.QueueName;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // Schedules are sent to this queue directly (UseMessageScheduler with its address), never published: the
        // queue is not bound to MassTransit's shared scheduling exchanges, whose declaring a branch's broker user
        // is not allowed.
        endpointConfigurator.ConfigureConsumeTopology = false;
    }
}
