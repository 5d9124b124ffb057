using Quartz;

namespace SynchroMesh.Messaging.Postgres.Scheduling;

/// <summary>
/// The Quartz scheduler of this bus, with the one durable job every scheduled message's trigger fires.
/// </summary>
internal sealed class QuartzMessageScheduler
{
    public static readonly JobKey JobKey = new("synchromesh-scheduled-message");

    readonly ISchedulerFactory _schedulerFactory;
    int _jobStored;

    public QuartzMessageScheduler(ISchedulerFactory schedulerFactory)
    {
        _schedulerFactory = schedulerFactory;
    }

    public async ValueTask<IScheduler> GetScheduler(CancellationToken cancellationToken)
    {
        var scheduler = await _schedulerFactory.GetScheduler(cancellationToken).ConfigureAwait(false);

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
}
