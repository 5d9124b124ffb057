namespace SynchroMesh.HeadOfficeIngest.Consumers;

/// <summary>
/// Keeps each branch's latest heartbeat. One statement, newest wins: heartbeats that arrive late or twice (several
/// replicas, a redelivery) never put an older figure over a newer one, by the branch's clock. A branch whose clock
/// was set back is not silenced for good: once the kept heartbeat is three intervals old by the head office's clock,
/// any newer arrival replaces it. A kept heartbeat also adds a sample to the branch's history (the console's charts),
/// at most one per <see cref="ConsoleOptions.HistoryInterval"/>. A heartbeat that makes no sense goes to the error
/// queue with its reason.
/// </summary>
public sealed class BranchHeartbeatConsumer(HeadOfficeDbContext db, TimeProvider clock, IOptions<ConsoleOptions> console) : IConsumer<BranchHeartbeat>
{
    public async Task Consume(ConsumeContext<BranchHeartbeat> context)
    {
        var beat = context.Message;
        var errors = new List<string>();
        if (!BranchIds.IsValid(beat.BranchId))
        {
            errors.Add(ProductSubmittedValidator.InvalidBranchId);
        }

        if (beat.NotSent < 0 || beat.WaitingForAck < 0)
        {
            errors.Add("notSent, waitingForAck: must not be negative");
        }

        if (beat.Interval <= TimeSpan.Zero)
        {
            errors.Add("interval: must be positive");
        }

        if (errors.Count > 0)
        {
            throw new InvalidMessageException($"BranchHeartbeat rejected: {string.Join("; ", errors)}");
        }

        BranchBrokerUsers.EnsurePublishedByBranch(context, beat.BranchId, "BranchHeartbeat");

        var now = clock.GetUtcNow();
        var backlog = beat.NotSent + beat.WaitingForAck;
        var lagSeconds = beat.OldestUnackedChangeAt is { } oldest && backlog > 0 ? Math.Max(0, (beat.At - oldest).TotalSeconds) : 0;
        var sampledSince = now - console.Value.HistoryInterval;
        // One statement: the latest heartbeat, and a sample for the history when this one was kept and the branch has
        // none within the history's interval (several replicas may both add one now and then: a chart shrugs).
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            WITH kept AS (
                INSERT INTO head_office.branch_heartbeats AS h
                    (branch_id, reported_at, interval, not_sent, waiting_for_ack, oldest_unacked_change_at, newest_change_at, received_at, online_since)
                VALUES ({beat.BranchId}, {beat.At.ToUniversalTime()}, {beat.Interval}, {beat.NotSent}, {beat.WaitingForAck},
                        {beat.OldestUnackedChangeAt?.ToUniversalTime()}, {beat.NewestChangeAt?.ToUniversalTime()}, {now}, {now})
                ON CONFLICT (branch_id) DO UPDATE SET
                    reported_at = excluded.reported_at, interval = excluded.interval, not_sent = excluded.not_sent,
                    waiting_for_ack = excluded.waiting_for_ack, oldest_unacked_change_at = excluded.oldest_unacked_change_at,
                    newest_change_at = excluded.newest_change_at, received_at = excluded.received_at,
                    online_since = CASE WHEN h.received_at < excluded.received_at - {BranchHeartbeat.MissedBeforeOffline} * h.interval THEN excluded.received_at ELSE h.online_since END
                WHERE h.reported_at < excluded.reported_at OR h.received_at < excluded.received_at - {BranchHeartbeat.MissedBeforeOffline} * h.interval
                RETURNING h.branch_id
            )
            INSERT INTO head_office.branch_heartbeat_history (branch_id, received_at, backlog, lag_seconds)
            SELECT branch_id, {now}, {backlog}, {lagSeconds} FROM kept
            WHERE NOT EXISTS (SELECT 1 FROM head_office.branch_heartbeat_history s WHERE s.branch_id = kept.branch_id AND s.received_at > {sampledSince})
            """, context.CancellationToken);
    }
}
