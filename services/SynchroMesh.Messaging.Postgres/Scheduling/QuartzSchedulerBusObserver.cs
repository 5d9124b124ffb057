using Microsoft.Extensions.Hosting;

namespace SynchroMesh.Messaging.Postgres.Scheduling;

/// <summary>
/// Builds and starts the Quartz scheduler only once the bus is ready, so no due message fires into a bus that
/// cannot send yet; puts it on standby before the bus stops. When the host stops, the scheduler is shut down
/// (waiting for running jobs) after the bus; when only the bus stops (the supervisor restarts it in the process to
/// leave a stuck link behind), the scheduler stays on standby and runs again once the bus is ready again.
/// </summary>
/// <remarks>
/// Building and starting touch the job store (schema, recovery of fired triggers, cluster check-in), so they fail
/// while PostgreSQL is unreachable; they are retried in the background with back-off rather than failing the
/// host or giving up. A scheduler on standby keeps checking in with the cluster, so the other nodes do not take
/// its triggers over while the bus restarts. One start of the bus runs one attempt loop: a second PostStart without a
/// stop between (MassTransit reports both starts of a bus that was asked to start again before it was ever ready)
/// joins the loop already running, and no loop outlives the host's stopping.
/// </remarks>
internal sealed class QuartzSchedulerBusObserver : IBusObserver
{
    static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);
    static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(15);

    readonly ILogger<QuartzSchedulerBusObserver> _logger;
    readonly QuartzMessageScheduler _messageScheduler;
    readonly QuartzSchedulerStatus _status;
    readonly string _schedulerName;
    readonly IHostApplicationLifetime? _lifetime;
    readonly Lock _gate = new();
    CancellationTokenSource? _stopping;
    Task _starting = Task.CompletedTask;

    public QuartzSchedulerBusObserver(QuartzMessageScheduler messageScheduler, QuartzSchedulerStatus status,
        PostgresQuartzSchedulerOptions options, ILogger<QuartzSchedulerBusObserver> logger, IHostApplicationLifetime? lifetime = null)
    {
        _messageScheduler = messageScheduler;
        _status = status;
        _schedulerName = options.SchedulerName;
        _logger = logger;
        // Absent outside a host: every stop of the bus is then its last.
        _lifetime = lifetime;
    }

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception)
    {
    }

    public Task PreStart(IBus bus) => Task.CompletedTask;

    public Task PostStart(IBus bus, Task<BusReady> busReady)
    {
        lock (_gate)
        {
            if (_stopping is { IsCancellationRequested: false })
                return Task.CompletedTask;

            // Each start of the bus has its own, cancelled by the stop after it or by the host's stopping.
            _stopping = _lifetime is null ? new CancellationTokenSource() : CancellationTokenSource.CreateLinkedTokenSource(_lifetime.ApplicationStopping);
            _starting = StartWhenReady(busReady, _stopping.Token);
        }

        return Task.CompletedTask;
    }

    async Task StartWhenReady(Task<BusReady> busReady, CancellationToken cancellationToken)
    {
        try
        {
            await busReady.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception)
        {
            // The bus did not become ready this time; MassTransit reconnects, and the scheduler is started then.
        }

        var delay = FirstDelay;
        for (var attempt = 1; !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                var scheduler = await _messageScheduler.GetScheduler(cancellationToken).ConfigureAwait(false);
                await scheduler.Start(cancellationToken).ConfigureAwait(false);
                _status.Started();
                _logger.SchedulerStarted(_schedulerName);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                _status.Failed(exception.GetBaseException().Message);
                _logger.SchedulerStartFailed(_schedulerName, attempt, delay, exception.GetBaseException().Message);
            }

            try
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    public Task StartFaulted(IBus bus, Exception exception) => Task.CompletedTask;

    public async Task PreStop(IBus bus)
    {
        CancellationTokenSource? stopping;
        Task starting;
        lock (_gate)
        {
            stopping = _stopping;
            starting = _starting;
        }

        if (stopping is not null)
            await stopping.CancelAsync().ConfigureAwait(false);
        await starting.ConfigureAwait(false);
        _status.Stopped();

        // The scheduler as the message scheduler holds it: a consumer may have built it before the bus was ready.
        if (_messageScheduler.Current is { Status: SchedulerStatus.Running } scheduler)
            await scheduler.Standby(CancellationToken.None).ConfigureAwait(false);
    }

    public async Task PostStop(IBus bus)
    {
        if (_lifetime is { ApplicationStopping.IsCancellationRequested: false })
        {
            // The bus restarts in the process: the scheduler waits on standby for the next start.
            return;
        }

        if (_messageScheduler.Current is { Status: not (SchedulerStatus.Shutdown or SchedulerStatus.ShuttingDown) } scheduler)
            await scheduler.Shutdown(waitForJobsToComplete: true, CancellationToken.None).ConfigureAwait(false);
    }

    public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;
}
