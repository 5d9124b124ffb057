using System.Diagnostics;

namespace SynchroMesh.BranchOutbox.StateMachines;

/// <summary>The steps of <see cref="ProductBatchStateMachine"/>, so that the machine reads as a sentence.</summary>
public static class ProductBatchActivities
{
    public static EventActivityBinder<ProductBatchState, ProductBatchSent> RecordSent(
        this EventActivityBinder<ProductBatchState, ProductBatchSent> binder) =>
        binder.Then(context =>
        {
            context.Saga.BranchId = context.Message.BranchId;
            context.Saga.ProductCount = context.Message.ProductCount;
            context.Saga.SentAt = DateTimeOffset.UtcNow;
        });

    public static EventActivityBinder<ProductBatchState, ProductsAcked> RecordAcks(
        this EventActivityBinder<ProductBatchState, ProductsAcked> binder) =>
        binder.ThenAsync(async context =>
        {
            // The broker routes acks by branch id; this keeps a misrouted one (a wrong binding, a shared queue) from
            // marking this branch's rows of the same external ids as acked.
            var branch = context.GetServiceOrCreateInstance<IOptions<BranchOptions>>().Value;
            if (context.Message.BranchId != branch.Id)
            {
                return;
            }

            var ledger = context.GetServiceOrCreateInstance<IBatchLedger>();
            var acked = await ledger.RecordAcksAsync(context.Message.Products, context.CancellationToken);
            var metrics = context.GetServiceOrCreateInstance<BranchMetrics>();
            var pacing = context.GetServiceOrCreateInstance<OutboxPacing>();
            BranchMetrics.AfterCommit(context, () =>
            {
                metrics.Acked(acked);
                pacing.Acked(context.Message.BatchId);
            });
            SyncTelemetry.TagCurrent(branch.Id, context.Message.BatchId, context.Message.Products.Select(p => p.ExternalId));
            Activity.Current?.AddEvent(new ActivityEvent("synchromesh.batch.acked", tags: new ActivityTagsCollection { ["synchromesh.rows.acked"] = acked }));
        });

    public static EventActivityBinder<ProductBatchState, ProductBatchAckTimedOut> ResendUnacked(
        this EventActivityBinder<ProductBatchState, ProductBatchAckTimedOut> binder) =>
        binder.ThenAsync(async context =>
        {
            var ledger = context.GetServiceOrCreateInstance<IBatchLedger>();
            var reset = await ledger.PutBackUnackedAsync(context.Message.BatchId, context.CancellationToken);
            var metrics = context.GetServiceOrCreateInstance<BranchMetrics>();
            var outbox = context.GetServiceOrCreateInstance<OutboxSignal>();
            BranchMetrics.AfterCommit(context, () =>
            {
                metrics.AckTimedOut();
                metrics.Resent(reset);
                // Rows put back are sent at once, not at the outbox's next backstop poll.
                if (reset > 0)
                {
                    outbox.Notify();
                }
            });
            Activity.Current?.SetTag(SyncTelemetry.BranchId, context.Message.BranchId);
            Activity.Current?.SetTag(SyncTelemetry.BatchId, context.Message.BatchId.ToString());
            Activity.Current?.AddEvent(new ActivityEvent("synchromesh.batch.ack_timed_out", tags: new ActivityTagsCollection { ["synchromesh.rows.resent"] = reset }));
        });

    public static EventActivityBinder<ProductBatchState, ProductBatchSent> ScheduleAckTimeout(
        this EventActivityBinder<ProductBatchState, ProductBatchSent> binder,
        Schedule<ProductBatchState, ProductBatchAckTimedOut> schedule) =>
        binder.Schedule(schedule, context => new ProductBatchAckTimedOut
        {
            BranchId = context.Message.BranchId,
            BatchId = context.Message.BatchId,
        });
}
