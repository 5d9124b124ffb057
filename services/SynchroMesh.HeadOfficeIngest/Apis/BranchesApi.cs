using Microsoft.EntityFrameworkCore;
using SynchroMesh.HeadOfficeIngest.Data;

namespace SynchroMesh.HeadOfficeIngest.Apis;

/// <summary>
/// Every branch the head office knows (by its rows or its heartbeat), how much of it the head office holds, and how
/// far behind it is: what an operator looks at first.
/// </summary>
public static class BranchesApi
{
    /// <summary>Heartbeats a branch may miss before it is shown offline.</summary>
    private const int MissedHeartbeats = 3;

    public static IEndpointRouteBuilder MapBranchesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/branches", ListAsync);
        return app;
    }

    private static async Task<BranchSummaryResponse[]> ListAsync(HeadOfficeDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var held = await db.Products.AsNoTracking()
            .GroupBy(p => p.BranchId)
            .Select(g => new
            {
                BranchId = g.Key,
                Rows = g.LongCount(),
                Deleted = g.LongCount(p => p.DeletedAt != null),
                LastReceivedAt = g.Max(p => p.ReceivedAt),
                NewestChangeAt = g.Max(p => p.UpdatedAt),
            })
            .ToDictionaryAsync(b => b.BranchId, cancellationToken);
        var heartbeats = await db.Heartbeats.AsNoTracking().ToDictionaryAsync(h => h.BranchId, cancellationToken);
        var now = clock.GetUtcNow();
        return held.Keys.Union(heartbeats.Keys)
            .Order(StringComparer.Ordinal)
            .Select(id =>
            {
                var rows = held.GetValueOrDefault(id);
                var beat = heartbeats.GetValueOrDefault(id);
                return new BranchSummaryResponse(
                    id,
                    rows?.Rows ?? 0,
                    rows?.Deleted ?? 0,
                    rows?.LastReceivedAt,
                    rows?.NewestChangeAt,
                    beat?.ReceivedAt,
                    Online: beat is not null && now - beat.ReceivedAt <= MissedHeartbeats * beat.Interval,
                    beat is null ? null : beat.NotSent + beat.WaitingForAck,
                    beat?.NewestChangeAt,
                    beat is null ? null : LagSeconds(beat, rows?.NewestChangeAt));
            })
            .ToArray();
    }

    /// <summary>
    /// How much newer the branch's newest change is than the newest the head office holds of it; nothing when the
    /// branch reported no backlog. When the head office holds nothing of the branch yet: how long the oldest change
    /// not acked had waited when the branch reported.
    /// </summary>
    private static double LagSeconds(BranchHeartbeatRecord beat, DateTimeOffset? newestHeld)
    {
        if (beat.NotSent + beat.WaitingForAck == 0 || beat.NewestChangeAt is not { } newestAtBranch)
        {
            return 0;
        }

        var behind = newestHeld is { } newest
            ? newestAtBranch - newest
            : beat.ReportedAt - (beat.OldestUnackedChangeAt ?? beat.ReportedAt);
        return Math.Max(0, behind.TotalSeconds);
    }
}

/// <summary>A branch as <c>GET /branches</c> reports it.</summary>
/// <param name="Rows">Rows the head office holds of the branch, deleted ones included.</param>
/// <param name="Deleted">Of those, rows the branch deleted.</param>
/// <param name="LastReceivedAt">When the head office last stored a product of this branch (null: none yet).</param>
/// <param name="NewestChangeAt">The newest change of the branch the head office holds (the branch's own clock).</param>
/// <param name="LastHeartbeatAt">When the branch's last heartbeat arrived (null: never).</param>
/// <param name="Online">Whether a heartbeat arrived within the last three of the branch's heartbeat intervals.</param>
/// <param name="Backlog">Rows not yet acked, as the branch last reported (null: no heartbeat yet).</param>
/// <param name="BranchNewestChangeAt">The newest change the branch last reported.</param>
/// <param name="LagSeconds">How far behind the head office is with this branch, in seconds of the branch's changes (see docs/operations.md, "HTTP APIs").</param>
public sealed record BranchSummaryResponse(
    string BranchId,
    long Rows,
    long Deleted,
    DateTimeOffset? LastReceivedAt,
    DateTimeOffset? NewestChangeAt,
    DateTimeOffset? LastHeartbeatAt,
    bool Online,
    long? Backlog,
    DateTimeOffset? BranchNewestChangeAt,
    double? LagSeconds);
