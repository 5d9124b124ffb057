using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SynchroMesh.Messaging.Postgres.Scheduling;

namespace SynchroMesh.Messaging.Postgres;

public static class PostgresQuartzSchedulerRegistrationExtensions
{
    /// <summary>
    /// Adds a message scheduler on Quartz with its job store in PostgreSQL (clustered, System.Text.Json,
    /// tables created if missing, firing rounds under Quartz's trigger lock): consumers of <c>ScheduleMessage</c> and <c>CancelScheduledMessage</c> on the
    /// receive endpoint <see cref="PostgresQuartzSchedulerOptions.QueueName" />, and the Quartz hosted service.
    /// </summary>
    /// <remarks>
    /// The endpoint is created by <c>cfg.ConfigureEndpoints(context)</c>; the bus must also send its
    /// schedules there, with <see cref="UsePostgresQuartzScheduler" />. The scheduler starts when the bus is
    /// ready (retried while the database is unreachable), never before, and is shut down when the bus stops.
    /// Its consumers set no message retry of their own: the bus's retry policy (<c>UseMessageRetry</c>, set once for
    /// every endpoint) rides out a database hiccup, as for every other consumer. Call once per bus.
    /// </remarks>
    public static IBusRegistrationConfigurator AddPostgresQuartzScheduler(this IBusRegistrationConfigurator configurator,
        Action<PostgresQuartzSchedulerOptions> configure)
    {
        var options = new PostgresQuartzSchedulerOptions();
        configure(options);
        options.Validate();

        configurator.AddSingleton(options);
        configurator.TryAddSingleton<QuartzMessageScheduler>();

        // A named scheduler (its name is also its instance name, the cluster's SCHED_NAME): unlike the default
        // one, Quartz keeps its recipe and can build it again after a failed start (see QuartzMessageScheduler).
        // The application's own Quartz use, if any, stays on the default scheduler, apart from this one.
        configurator.AddQuartz(options.SchedulerName, quartz =>
        {
            quartz.UsePersistentStore(store =>
            {
                store.UsePostgres(options.ConnectionString);
                store.UseClustering(_ => { });
                store.UseSystemTextJsonSerializer(_ => { });
                store.ProvisionSchema();
                store.ConfigureStore(o =>
                {
                    o.TablePrefix = options.TablePrefix;
                    // Quartz 4.6 made firing rounds lock-free by default: a round claims a trigger (its qrtz_triggers
                    // row) and then writes its qrtz_simple_triggers row without TRIGGER_ACCESS, while unscheduling,
                    // under that lock, deletes the child row first and then the parent: opposite orders, and
                    // PostgreSQL deadlocks (40P01) whenever a timeout is cancelled as it fires. Rounds under the lock,
                    // as before 4.6, cost one qrtz_locks row lock per round.
                    o.LockFreeFiringRounds = false;
                });
            });
        });

        // No Quartz hosted service: it builds the scheduler at host start, which initialises the job store and
        // fails the whole host while PostgreSQL is unreachable. The bus observer builds and starts the scheduler
        // once the bus is ready, retrying with back-off, and shuts it down when the bus stops.
        configurator.TryAddSingleton<QuartzSchedulerStatus>();
        configurator.AddBusObserver<QuartzSchedulerBusObserver>();
        // "ready": the tag of the checks a host's readiness probe collects (ServiceDefaults' ServiceHealth.Ready in our
        // services; this library references none of them).
        configurator.AddHealthChecks().AddCheck<QuartzSchedulerHealthCheck>("quartz-scheduler", tags: ["ready"]);
        configurator.AddConsumer<ScheduleMessageConsumer, SchedulerConsumerDefinition<ScheduleMessageConsumer>>();
        configurator.AddConsumer<CancelScheduledMessageConsumer, SchedulerConsumerDefinition<CancelScheduledMessageConsumer>>();

        return configurator;
    }

    /// <summary>
    /// Sends this bus's schedules (saga <c>Schedule</c>, <c>ScheduleSend</c>) to the endpoint registered by
    /// <see cref="AddPostgresQuartzScheduler" />, through the exchange of its queue: sending to <c>queue:</c> would
    /// declare the queue from the sender's side, while its arguments (classic or quorum, say) belong to the receive
    /// endpoint, and a sender whose broker user may not configure it would be refused.
    /// </summary>
    public static void UsePostgresQuartzScheduler(this IBusFactoryConfigurator configurator, IBusRegistrationContext context)
    {
        var options = context.GetRequiredService<PostgresQuartzSchedulerOptions>();

        configurator.UseMessageScheduler(new Uri($"exchange:{options.QueueName}"));
    }
}
