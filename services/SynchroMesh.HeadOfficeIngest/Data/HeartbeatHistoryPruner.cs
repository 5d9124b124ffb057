namespace SynchroMesh.HeadOfficeIngest.Data;

/// <summary>
/// Keeps the heartbeat history bounded: removes samples older than <see cref="ConsoleOptions.HistoryRetention"/>
/// once the database is migrated and every few minutes after. Every replica prunes; deleting what another already
/// deleted costs nothing. A database that is away is tried again on the next round.
/// </summary>
public sealed partial class HeartbeatHistoryPruner(
    IServiceScopeFactory scopes, IOptions<ConsoleOptions> options, DatabaseReadiness readiness, TimeProvider clock, ILogger<HeartbeatHistoryPruner> logger)
    : BackgroundService
{
    private static readonly TimeSpan Round = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(Round, clock);
        do
        {
            try
            {
                await PruneAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPruneFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeadOfficeDbContext>();
        var before = clock.GetUtcNow() - options.Value.HistoryRetention;
        await db.HeartbeatHistory.Where(s => s.ReceivedAt < before).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning the heartbeat history failed; trying again on the next round")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
