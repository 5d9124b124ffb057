using MassTransit;
using Microsoft.Extensions.Options;
using SynchroMesh.Contracts;

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

            var ledger = context.GetServiceOrCreateInstance<IProductSyncLedger>();
            await ledger.RecordAcksAsync(context.Message.Products, context.CancellationToken);
        });

    public static EventActivityBinder<ProductBatchState, ProductBatchAckTimedOut> ResendUnacked(
        this EventActivityBinder<ProductBatchState, ProductBatchAckTimedOut> binder) =>
        binder.ThenAsync(async context =>
        {
            var ledger = context.GetServiceOrCreateInstance<IProductSyncLedger>();
            await ledger.ResetUnackedAsync(context.Message.BatchId, context.CancellationToken);
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
