using MassTransit;
using Microsoft.Extensions.Logging;
using Quartz;

namespace SynchroMesh.Messaging.Postgres.Scheduling;

/// <summary>
/// Starts the Quartz scheduler only once the bus is ready, so no due message fires into a bus that cannot
/// send yet, and puts it on standby before the bus stops. The Quartz hosted service builds the scheduler
/// (AutoStart off) and shuts it down with the host.
/// </summary>
internal sealed class QuartzSchedulerBusObserver : IBusObserver
{
    readonly ILogger<QuartzSchedulerBusObserver> _logger;
    readonly QuartzMessageScheduler _messageScheduler;
    readonly string _schedulerName;
    IScheduler? _scheduler;

    public QuartzSchedulerBusObserver(QuartzMessageScheduler messageScheduler, PostgresQuartzSchedulerOptions options,
        ILogger<QuartzSchedulerBusObserver> logger)
    {
        _messageScheduler = messageScheduler;
        _schedulerName = options.SchedulerName;
        _logger = logger;
    }

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception)
    {
    }

    public Task PreStart(IBus bus) => Task.CompletedTask;

    public async Task PostStart(IBus bus, Task<BusReady> busReady)
    {
        await busReady.ConfigureAwait(false);

        _scheduler = await _messageScheduler.GetScheduler(CancellationToken.None).ConfigureAwait(false);
        await _scheduler.Start(CancellationToken.None).ConfigureAwait(false);

        _logger.SchedulerStarted(_schedulerName);
    }

    public Task StartFaulted(IBus bus, Exception exception) => Task.CompletedTask;

    public async Task PreStop(IBus bus)
    {
        if (_scheduler is { Status: SchedulerStatus.Running })
            await _scheduler.Standby(CancellationToken.None).ConfigureAwait(false);
    }

    public Task PostStop(IBus bus) => Task.CompletedTask;

    public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;
}
