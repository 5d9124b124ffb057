using Microsoft.Extensions.DependencyInjection;

namespace SynchroMesh.Messaging.Postgres.Scheduling;

/// <summary>
/// The Quartz scheduler of this bus, with the one durable job every scheduled message's trigger fires.
/// </summary>
/// <remarks>
/// Building a scheduler initialises its job store in PostgreSQL. A build that fails (the server is unreachable)
/// leaves Quartz holding a scheduler that is shut down for good, which its factory keeps handing back as an
/// error; the next call then builds a new generation from the registration (<see cref="ISchedulerRuntime.Restart" />),
/// so a database outage at start-up costs retries, never the scheduler.
/// </remarks>
internal sealed class QuartzMessageScheduler
{
    public static readonly JobKey JobKey = new("synchromesh-scheduled-message");

    readonly ISchedulerFactory _schedulerFactory;
    readonly ISchedulerRuntime _runtime;
    readonly string _schedulerName;
    readonly SemaphoreSlim _building = new(1, 1);
    IScheduler? _scheduler;
    int _jobStored;

    public QuartzMessageScheduler(IServiceProvider services, PostgresQuartzSchedulerOptions options)
    {
        _schedulerName = options.SchedulerName;
        _schedulerFactory = services.GetRequiredKeyedService<ISchedulerFactory>(options.SchedulerName);
        _runtime = services.GetRequiredService<ISchedulerRuntime>();
    }

    /// <summary>The scheduler built last, or null while none has been.</summary>
    public IScheduler? Current => Volatile.Read(ref _scheduler);

    public async ValueTask<IScheduler> GetScheduler(CancellationToken cancellationToken)
    {
        var scheduler = Volatile.Read(ref _scheduler);
        if (scheduler is null || IsShutDown(scheduler))
            scheduler = await Build(cancellationToken).ConfigureAwait(false);

        // Storing the job is idempotent (replace), so a race between two first messages is harmless; the
        // flag only saves the round trip afterwards.
        if (Volatile.Read(ref _jobStored) == 0)
        {
            var job = JobBuilder.Create<ScheduledMessageJob>()
                .WithIdentity(JobKey)
                .WithDescription("Sends a message scheduled through MassTransit when it is due")
                .StoreDurably()
                .RequestRecovery()
                .Build();

            await scheduler.AddJob(job, AddJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _jobStored, 1);
        }

        return scheduler;
    }

    async Task<IScheduler> Build(CancellationToken cancellationToken)
    {
        await _building.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var scheduler = Volatile.Read(ref _scheduler);
            if (scheduler is not null && !IsShutDown(scheduler))
                return scheduler;

            try
            {
                scheduler = await _schedulerFactory.GetScheduler(cancellationToken).ConfigureAwait(false);
            }
            catch (SchedulerException) when (!cancellationToken.IsCancellationRequested)
            {
                // The generation the factory holds failed to build (or was shut down): build the next one,
                // left in standby; the bus observer starts it.
                scheduler = await _runtime.Restart(_schedulerName, SchedulerRestartOptions.WithoutStarting, cancellationToken)
                    .ConfigureAwait(false);
            }

            Volatile.Write(ref _scheduler, scheduler);
            return scheduler;
        }
        finally
        {
            _building.Release();
        }
    }

    static bool IsShutDown(IScheduler scheduler) => scheduler.Status is SchedulerStatus.Shutdown or SchedulerStatus.ShuttingDown;
}
