using MassTransit;
using SynchroMesh.Contracts;

namespace SynchroMesh.BranchOutbox.StateMachines;

/// <summary>The steps of <see cref="ProductSyncStateMachine"/>, so that the machine reads as a sentence.</summary>
public static class ProductSyncActivities
{
    public static EventActivityBinder<ProductSyncState, ProductSent> RecordSent(
        this EventActivityBinder<ProductSyncState, ProductSent> binder) =>
        binder.Then(context =>
        {
            var saga = context.Saga;
            saga.BranchId = context.Message.BranchId;
            saga.ExternalId = context.Message.ExternalId;
            saga.SentVersion = Math.Max(saga.SentVersion, context.Message.Version);
            saga.SentAt = DateTimeOffset.UtcNow;
        });

    public static EventActivityBinder<ProductSyncState, ProductAcked> RecordAck(
        this EventActivityBinder<ProductSyncState, ProductAcked> binder) =>
        binder.ThenAsync(async context =>
        {
            var saga = context.Saga;
            saga.BranchId = context.Message.BranchId;
            saga.ExternalId = context.Message.ExternalId;
            if (context.Message.Version > saga.AckedVersion)
            {
                saga.AckedVersion = context.Message.Version;
                saga.AckedAt = DateTimeOffset.UtcNow;
            }

            var ledger = context.GetServiceOrCreateInstance<IProductSyncLedger>();
            await ledger.RecordAckAsync(context.Message.ExternalId, context.Message.Version, context.CancellationToken);
        });

    public static EventActivityBinder<ProductSyncState, ProductAckTimedOut> ResetToNotSent(
        this EventActivityBinder<ProductSyncState, ProductAckTimedOut> binder) =>
        binder.ThenAsync(async context =>
        {
            context.Saga.TimeoutCount++;
            var ledger = context.GetServiceOrCreateInstance<IProductSyncLedger>();
            await ledger.ResetToNotSentAsync(context.Message.ExternalId, context.Message.Version, context.CancellationToken);
        });

    public static EventActivityBinder<ProductSyncState, ProductSent> ScheduleAckTimeout(
        this EventActivityBinder<ProductSyncState, ProductSent> binder,
        Schedule<ProductSyncState, ProductAckTimedOut> schedule) =>
        binder.Schedule(schedule, context => new ProductAckTimedOut
        {
            BranchId = context.Message.BranchId,
            ExternalId = context.Message.ExternalId,
            Version = context.Message.Version,
        });
}
