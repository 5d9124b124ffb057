using System.Data.Common;
using System.Diagnostics;
using SynchroMesh.BranchOutbox.Supervision;
using SynchroMesh.ServiceDefaults;

namespace SynchroMesh.BranchOutbox.Outbox;

/// <summary>
/// Sends every row whose current version has not been sent. Rows are published with broker confirms and only
/// then marked sent, at the version published: a crash or a broker outage before that leaves them waiting to be
/// sent again, never marked sent without having been published. As a backstop to the saga's timeout, a row
/// sent long ago and still unacked (its timeout lost with a failed message, say) is put back to be sent again.
/// </summary>
public sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopeFactory,
    IBusControl bus,
    OutboxSignal signal,
    OutboxPacing pacing,
    IOptions<BranchOptions> branch,
    IOptions<SyncOptions> sync,
    DatabaseReadiness database,
    TimeProvider clock,
    BranchMetrics metrics,
    OutboxProgress progress,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    /// <summary>How often an outbox whose bus is down looks whether it is back.</summary>
    private static readonly TimeSpan BusRecheck = TimeSpan.FromSeconds(1);

    /// <summary>How many ack timeouts a sent row may wait before the backstop sends it again.</summary>
    private const int OverdueAfterTimeouts = 3;

    /// <summary>A pass slower than this is logged with where its time went, so that a stalled outbox can be seen.</summary>
    private static readonly TimeSpan SlowPass = TimeSpan.FromSeconds(1);

    /// <summary>How long the outbox must have had nothing to send before it gives the memory of its work back.</summary>
    private static readonly TimeSpan QuietBeforeGivingMemoryBack = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WaitAsync(stoppingToken);
        var backoff = TimeSpan.Zero;
        var nextOverdueCheck = DateTimeOffset.MinValue;
        var lastSentAt = (DateTimeOffset?)null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Until the bus is up (broker reachable) there is nothing to gain from trying. A degraded bus (one
                // endpoint restarting after a link flap) still publishes: waiting for it left rows unsent for
                // minutes. A "sent" event that finds the saga's queue not bound yet is harmless: the ack finds no
                // saga and is recorded all the same, and without an ack the outbox's backstop sends the rows again.
                if (bus.CheckHealth().Status == BusHealthStatus.Unhealthy)
                {
                    // Nothing announces the broker's return: it is looked for every second, not at the backstop poll.
                    await signal.WaitAsync(TimeSpan.FromTicks(Math.Min(sync.Value.PollInterval.Ticks, BusRecheck.Ticks)), stoppingToken);
                    continue;
                }

                if (clock.GetUtcNow() >= nextOverdueCheck)
                {
                    await ResendOverdueAsync(stoppingToken);
                    nextOverdueCheck = clock.GetUtcNow() + sync.Value.AckTimeout;
                }

                var sent = await SendBatchAsync(stoppingToken);
                progress.PassSucceeded();
                backoff = TimeSpan.Zero;
                if (sent > 0)
                {
                    lastSentAt = clock.GetUtcNow();
                }
                else if (clock.GetUtcNow() - lastSentAt >= QuietBeforeGivingMemoryBack)
                {
                    GiveMemoryBack();
                    lastSentAt = null;
                }

                if (sent < sync.Value.BatchSize * sync.Value.BatchesInFlight)
                {
                    await signal.WaitAsync(sync.Value.PollInterval, stoppingToken);

                    // Group commit: sent at once when nothing is in flight; otherwise the tills' next changes gather
                    // until the last batches' acks are back, since a batch costs a saga, a timeout and an ack whether it
                    // holds one row or a thousand.
                    await pacing.WhenNoneInFlightAsync(sync.Value.Linger, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                progress.PassFailed(ex.Message, ex is DbException);
                backoff = Backoff.Next(backoff, TimeSpan.FromMilliseconds(250));
                LogSendFailed(ex, backoff);
                await Task.Delay(backoff, clock, stoppingToken);
            }
        }
    }

    /// <summary>
    /// Once the outbox has had nothing to send for <see cref="QuietBeforeGivingMemoryBack"/> after sending, the memory
    /// its work took goes back to the PC (a branch shares its machine with the tills' software and may idle for hours):
    /// one compacting collection that also releases what the heap no longer needs, instead of keeping a drain's peak for
    /// the rest of the day. At most once per quiet spell, never while the outbox has work; the collection is blocking, so
    /// the tills' API and the saga's consumers pause with it, for a few milliseconds on a heap of this size.
    /// </summary>
    private void GiveMemoryBack()
    {
        var before = Environment.WorkingSet;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        LogMemoryGivenBack(before / (1024 * 1024), Environment.WorkingSet / (1024 * 1024));
    }

    /// <summary>
    /// Publishes up to <see cref="SyncOptions.BatchesInFlight"/> batches of waiting rows at once (their confirms
    /// overlap) and then marks their rows sent; returns how many rows.
    /// </summary>
    public async Task<int> SendBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var ledger = scope.ServiceProvider.GetRequiredService<SyncLedger>();
        var started = clock.GetTimestamp();

        // No lock is held while publishing: a link that stalls mid-publish must never block a till's write.
        var rows = await ledger.ReadWaitingAsync(sync.Value.BatchSize * sync.Value.BatchesInFlight, cancellationToken);
        if (rows.Count == 0)
        {
            return 0;
        }

        var read = clock.GetTimestamp();
        var batches = rows.Chunk(sync.Value.BatchSize).Select(chunk => new OutgoingBatch(branch.Value.Id, NewId.NextGuid(), chunk)).ToList();

        // Counted in flight before they leave: an ack can come back before the publish returns.
        var batchIds = batches.Select(batch => batch.Id).ToList();
        pacing.Sent(batchIds);
        try
        {
            await BrokerCall.WithinAsync(sync.Value.PublishTimeout, clock, async token =>
            {
                // The exchange of the saga's queue, not "queue:": sending must not declare the queue itself, whose
                // arguments (classic or quorum) belong to the receive endpoint.
                var sagaEndpoint = await bus.GetSendEndpoint(new Uri($"exchange:{branch.Value.Topology.SagaQueue}"));
                var headOffice = await bus.GetSendEndpoint(new Uri($"exchange:{branch.Value.Topology.SubmitExchange}"));
                await Task.WhenAll(batches.Select(batch => PublishAsync(batch, sagaEndpoint, headOffice, token)));
            }, cancellationToken);
        }
        catch
        {
            pacing.Forget(batchIds);
            throw;
        }

        var published = clock.GetTimestamp();

        // Marked sent only at the version that was published; a row changed meanwhile stays waiting, and so does a row
        // another program holds locked (sent again, harmless: the head office is idempotent).
        await ledger.MarkSentAsync(batches, cancellationToken);
        LogSent(rows.Count, batches.Count);
        if (clock.GetElapsedTime(started) > SlowPass)
        {
            LogSlowPass(rows.Count, clock.GetElapsedTime(started, read), clock.GetElapsedTime(read, published), clock.GetElapsedTime(published));
        }

        return rows.Count;
    }

    /// <remarks>
    /// The saga hears of the batch first: its "sent" event is confirmed in the saga's queue before the batch leaves for
    /// the head office, so the ack, which lands in the same queue, always comes after it. The batches of one pass go
    /// out side by side, their confirms overlapping.
    /// <para>
    /// Traced as one span per batch, "outbox send", whose parent is the trace of the first row's last change through
    /// the API (kept on the row) and which links the others': the publish, the head office's work, the ack and the
    /// saga follow it through the messages' headers, so a sale's trace shows its way to the head office, and a
    /// resend (the row keeps its trace context) shows up in the same trace.
    /// </para>
    /// </remarks>
    private async Task PublishAsync(OutgoingBatch batch, ISendEndpoint sagaEndpoint, ISendEndpoint headOffice, CancellationToken cancellationToken)
    {
        using var activity = StartSendActivity(batch);
        await sagaEndpoint.Send(batch.Sent(), cancellationToken);
        await headOffice.Send(batch.Submitted(), cancellationToken);
        // Counted before the span ends, so whoever sees the span sees it counted.
        metrics.BatchSent(batch.Rows.Count);
        activity?.SetStatus(ActivityStatusCode.Ok);
    }

    private Activity? StartSendActivity(OutgoingBatch batch)
    {
        var contexts = batch.Rows
            .Select(row => ActivityContext.TryParse(row.TraceParent, null, out var context) ? context : default)
            .Where(context => context != default)
            .ToList();
        var activity = SyncTelemetry.Source.StartActivity(
            "outbox send",
            ActivityKind.Internal,
            contexts.Count > 0 ? contexts[0] : default,
            links: contexts.Skip(1).Select(context => new ActivityLink(context)));
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(SyncTelemetry.BranchId, branch.Value.Id);
            activity.SetTag(SyncTelemetry.BatchId, batch.Id.ToString());
            activity.SetTag(SyncTelemetry.ExternalIds, batch.Rows.Select(r => r.Id).ToArray());
            activity.SetTag("synchromesh.batch.size", batch.Rows.Count);
        }

        return activity;
    }

    /// <summary>
    /// Puts back on the work list every row sent more than a few ack timeouts ago and still not acked. The saga's
    /// timeout normally does this within one timeout; sending again is always safe, the head office being idempotent.
    /// </summary>
    public async Task<int> ResendOverdueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var ledger = scope.ServiceProvider.GetRequiredService<SyncLedger>();
        var overdueBefore = clock.GetUtcNow() - OverdueAfterTimeouts * sync.Value.AckTimeout;
        var reset = await ledger.PutBackOverdueAsync(overdueBefore, cancellationToken);
        if (reset > 0)
        {
            LogOverdue(reset, overdueBefore);
            metrics.Resent(reset);
        }

        return reset;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Nothing to send for a while; memory given back: working set {BeforeMegabytes} MB -> {AfterMegabytes} MB")]
    private partial void LogMemoryGivenBack(long beforeMegabytes, long afterMegabytes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent {Count} product versions in {Batches} batches")]
    private partial void LogSent(int count, int batches);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slow outbox pass, {Count} rows: reading {Read}, publishing {Publish}, marking sent {Mark}")]
    private partial void LogSlowPass(int count, TimeSpan read, TimeSpan publish, TimeSpan mark);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} rows sent before {OverdueBefore} were never acked; sending them again")]
    private partial void LogOverdue(int count, DateTimeOffset overdueBefore);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending the outbox failed; retrying in {Backoff}")]
    private partial void LogSendFailed(Exception ex, TimeSpan backoff);
}
