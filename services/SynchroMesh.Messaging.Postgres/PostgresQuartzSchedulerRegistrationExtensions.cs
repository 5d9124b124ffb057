using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;
using SynchroMesh.Messaging.Postgres.Scheduling;

namespace SynchroMesh.Messaging.Postgres;

public static class PostgresQuartzSchedulerRegistrationExtensions
{
    /// <summary>
    /// Adds a message scheduler on Quartz with its job store in PostgreSQL (clustered, System.Text.Json,
    /// tables created if missing): consumers of <c>ScheduleMessage</c> and <c>CancelScheduledMessage</c> on the
    /// receive endpoint <see cref="PostgresQuartzSchedulerOptions.QueueName" />, and the Quartz hosted service.
    /// </summary>
    /// <remarks>
    /// The endpoint is created by <c>cfg.ConfigureEndpoints(context)</c>; the bus must also send its
    /// schedules there, with <see cref="UsePostgresQuartzScheduler" />. The scheduler starts when the bus is
    /// ready, never before, and goes on standby when the bus stops. Call once per bus.
    /// </remarks>
    public static IBusRegistrationConfigurator AddPostgresQuartzScheduler(this IBusRegistrationConfigurator configurator,
        Action<PostgresQuartzSchedulerOptions> configure)
    {
        var options = new PostgresQuartzSchedulerOptions();
        configure(options);
        options.Validate();

        configurator.AddSingleton(options);
        configurator.TryAddSingleton<QuartzMessageScheduler>();

        // The container's default Quartz scheduler, named for the cluster: ISchedulerFactory resolves it
        // without a key, which keeps the application's own Quartz use (if any) on the same scheduler.
        configurator.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler => scheduler.InstanceName = options.SchedulerName);
            quartz.UsePersistentStore(store =>
            {
                store.UsePostgres(options.ConnectionString);
                store.UseClustering(_ => { });
                store.UseSystemTextJsonSerializer(_ => { });
                store.ProvisionSchema();
                store.ConfigureStore(o => o.TablePrefix = options.TablePrefix);
            });
        });

        // The hosted service builds the scheduler and shuts it down with the host; the bus observer starts it.
        configurator.AddQuartzHostedService(hosted =>
        {
            hosted.AutoStart = false;
            hosted.WaitForJobsToComplete = true;
        });

        configurator.AddBusObserver<QuartzSchedulerBusObserver>();
        configurator.AddConsumer<ScheduleMessageConsumer, ScheduleMessageConsumerDefinition>();
        configurator.AddConsumer<CancelScheduledMessageConsumer, CancelScheduledMessageConsumerDefinition>();

        return configurator;
    }

    /// <summary>
    /// Sends this bus's schedules (saga <c>Schedule</c>, <c>ScheduleSend</c>) to the endpoint registered by
    /// <see cref="AddPostgresQuartzScheduler" />: <c>UseMessageScheduler(new Uri("queue:" + QueueName))</c>.
    /// </summary>
    public static void UsePostgresQuartzScheduler(this IBusFactoryConfigurator configurator, IBusRegistrationContext context)
    {
        var options = context.GetRequiredService<PostgresQuartzSchedulerOptions>();

        configurator.UseMessageScheduler(new Uri($"queue:{options.QueueName}"));
    }
}
