namespace SynchroMesh.HeadOfficeIngest.Data;

/// <summary>
/// Every branch the head office knows (by its rows or its heartbeat): how much it holds of it, whether it is online
/// and since when, and how far behind it is. What <c>GET /branches</c>, the console and the alerts all read, so the
/// three never disagree about a branch.
/// </summary>
public sealed class BranchStatusReader(HeadOfficeDbContext db, TimeProvider clock)
{
    /// <summary>The window <see cref="BranchStatus.RowsPerMinute"/> is averaged over.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(5);

    public async Task<IReadOnlyList<BranchStatus>> ReadAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rateSince = now - RateWindow;
        var held = await db.Products.AsNoTracking()
            .GroupBy(p => p.BranchId)
            .Select(g => new
            {
                BranchId = g.Key,
                Rows = g.LongCount(),
                Deleted = g.LongCount(p => p.DeletedAt != null),
                Recent = g.LongCount(p => p.ReceivedAt > rateSince),
                LastReceivedAt = g.Max(p => p.ReceivedAt),
                NewestChangeAt = g.Max(p => p.UpdatedAt),
            })
            .ToDictionaryAsync(b => b.BranchId, cancellationToken);
        var heartbeats = await db.Heartbeats.AsNoTracking().ToDictionaryAsync(h => h.BranchId, cancellationToken);
        return held.Keys.Union(heartbeats.Keys)
            .Order(StringComparer.Ordinal)
            .Select(id =>
            {
                var rows = held.GetValueOrDefault(id);
                var beat = heartbeats.GetValueOrDefault(id);
                var online = beat is not null && now - beat.ReceivedAt <= BranchHeartbeat.MissedBeforeOffline * beat.Interval;
                return new BranchStatus(
                    id,
                    rows?.Rows ?? 0,
                    rows?.Deleted ?? 0,
                    rows?.LastReceivedAt,
                    rows?.NewestChangeAt,
                    beat?.ReceivedAt,
                    online,
                    // Offline: since its last word (or forever, if it never spoke); online: since it came back.
                    online ? beat!.OnlineSince : beat?.ReceivedAt,
                    beat is null ? null : beat.NotSent + beat.WaitingForAck,
                    beat?.NewestChangeAt,
                    beat is null ? null : LagSeconds(beat, rows?.NewestChangeAt),
                    Math.Round((rows?.Recent ?? 0) / RateWindow.TotalMinutes, 1));
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

/// <summary>A branch as the head office sees it now.</summary>
/// <param name="Rows">Rows the head office holds of the branch, deleted ones included.</param>
/// <param name="Deleted">Of those, rows the branch deleted.</param>
/// <param name="LastReceivedAt">When the head office last stored a product of this branch (null: none yet).</param>
/// <param name="NewestChangeAt">The newest change of the branch the head office holds (the branch's own clock).</param>
/// <param name="LastHeartbeatAt">When the branch's last heartbeat arrived (null: never).</param>
/// <param name="Online">Whether a heartbeat arrived within the last three of the branch's heartbeat intervals.</param>
/// <param name="Since">Online: since when without a silence of three intervals; offline: since its last heartbeat (null: never heard).</param>
/// <param name="Backlog">Rows not yet acked, as the branch last reported (null: no heartbeat yet).</param>
/// <param name="BranchNewestChangeAt">The newest change the branch last reported.</param>
/// <param name="LagSeconds">How far behind the head office is with this branch, in seconds of the branch's changes (see docs/operations.md, "HTTP APIs").</param>
/// <param name="RowsPerMinute">Rows stored of this branch per minute, over the last five minutes.</param>
public sealed record BranchStatus(
    string BranchId,
    long Rows,
    long Deleted,
    DateTimeOffset? LastReceivedAt,
    DateTimeOffset? NewestChangeAt,
    DateTimeOffset? LastHeartbeatAt,
    bool Online,
    DateTimeOffset? Since,
    long? Backlog,
    DateTimeOffset? BranchNewestChangeAt,
    double? LagSeconds,
    double RowsPerMinute);
