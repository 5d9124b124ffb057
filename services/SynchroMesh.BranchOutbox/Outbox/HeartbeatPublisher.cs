namespace SynchroMesh.BranchOutbox.Outbox;

/// <summary>
/// Every <see cref="SyncOptions.HeartbeatInterval"/>, while the bus is connected, publishes the branch's backlog
/// figures as a <see cref="BranchHeartbeat"/>, which the head office keeps to say how far behind the branch is. A
/// heartbeat lives three intervals on the broker: an older one says nothing true any more. The same figures, read on
/// every tick whether the broker is reachable or not, are what the backlog gauges of <see cref="BranchMetrics"/> show.
/// </summary>
public sealed partial class HeartbeatPublisher(
    IServiceScopeFactory scopeFactory,
    IBusControl bus,
    IOptions<BranchOptions> branch,
    IOptions<SyncOptions> sync,
    DatabaseReadiness database,
    TimeProvider clock,
    BranchMetrics metrics,
    ILogger<HeartbeatPublisher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WaitAsync(stoppingToken);
        var interval = sync.Value.HeartbeatInterval;
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                var figures = await ReadFiguresAsync(stoppingToken);
                metrics.Observe(figures);
                if (bus.CheckHealth().Status != BusHealthStatus.Unhealthy)
                {
                    await PublishAsync(figures, interval, stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(ex);
            }
        }
        while (await WaitForNextAsync(timer, stoppingToken));
    }

    private async Task<SyncFigures> ReadFiguresAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SyncLedger>().ReadFiguresAsync(cancellationToken);
    }

    private async Task PublishAsync(SyncFigures figures, TimeSpan interval, CancellationToken cancellationToken)
    {
        await BrokerCall.WithinAsync(interval, clock, async token =>
        {
            var headOffice = await bus.GetSendEndpoint(new Uri($"exchange:{branch.Value.Topology.HeartbeatExchange}"));
            await headOffice.Send(new BranchHeartbeat
            {
                BranchId = branch.Value.Id,
                At = clock.GetUtcNow(),
                Interval = interval,
                NotSent = figures.NotSent,
                WaitingForAck = figures.WaitingForAck,
                OldestUnackedChangeAt = figures.OldestUnackedChange,
                NewestChangeAt = figures.NewestChange,
            }, context => context.TimeToLive = BranchHeartbeat.MissedBeforeOffline * interval, token);
        }, cancellationToken);
    }

    private static async Task<bool> WaitForNextAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The heartbeat to the head office could not be sent; the next one will try again")]
    private partial void LogFailed(Exception ex);
}
