namespace SynchroMesh.BranchOutbox.Apis;

/// <summary>What an operator asks of a branch: how much is waiting to reach the head office, and since when.</summary>
public static class SyncStatusApi
{
    public static IEndpointRouteBuilder MapSyncStatusApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sync/status", GetAsync)
            .RequireAuthorization(BranchSecurity.TillPolicy)
            .WithTags("Sync")
            .WithName("GetSyncStatus")
            .WithSummary("How much is waiting to reach the head office, since when, and whether the branch can send.");
        return app;
    }

    private static async Task<SyncStatusResponse> GetAsync(
        SyncLedger ledger, IBusControl bus, IOptions<BranchOptions> branch, SupervisionState supervision, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var figures = await ledger.ReadFiguresAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var health = bus.CheckHealth();
        return new SyncStatusResponse(
            branch.Value.Id,
            figures.NotSent,
            figures.WaitingForAck,
            figures.Acked,
            figures.OldestUnackedChange,
            figures.OldestUnackedChange is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : null,
            figures.LastAck,
            // A link down shows as Degraded (the endpoints reconnecting), not Unhealthy: only Healthy means connected.
            BrokerConnected: health.Status == BusHealthStatus.Healthy,
            health.Description,
            supervision.Report(),
            now);
    }
}

/// <summary>
/// A branch's sync, as <c>GET /sync/status</c> reports it. Rows are counted by where their current version is:
/// not yet sent, sent and waiting for the head office's ack, or acked.
/// </summary>
/// <param name="OldestUnackedChangeAt">When the oldest change not yet acked was made (null when everything is acked).</param>
/// <param name="OldestUnackedAgeSeconds">How long ago that was: how far behind the head office is with this branch.</param>
/// <param name="LastAckAt">When the head office last acked a change of this branch.</param>
/// <param name="BrokerConnected">Whether the branch's bus is connected to the broker with every endpoint up.</param>
/// <param name="BrokerStatus">MassTransit's own words on the bus, naming the endpoints that are not up.</param>
/// <param name="Supervision">What the branch's supervisor did to recover from a lack of progress, and whether it asks for a restart.</param>
public sealed record SyncStatusResponse(
    string BranchId,
    long NotSent,
    long WaitingForAck,
    long Acked,
    DateTimeOffset? OldestUnackedChangeAt,
    double? OldestUnackedAgeSeconds,
    DateTimeOffset? LastAckAt,
    bool BrokerConnected,
    string BrokerStatus,
    SupervisionReport Supervision,
    DateTimeOffset At);
