using MassTransit;
using SynchroMesh.Contracts;
using SynchroMesh.HeadOfficeIngest.Data;

namespace SynchroMesh.HeadOfficeIngest.Consumers;

/// <summary>
/// Keeps the sales report's projection from the ingest's <see cref="ProductsStored"/> events, on a queue of its own:
/// the ingest knows nothing of it, and a failing or slow report never holds up a branch's acks.
/// </summary>
public sealed partial class SalesReportConsumer(SalesReportStore store, ILogger<SalesReportConsumer> logger) : IConsumer<ProductsStored>
{
    public async Task Consume(ConsumeContext<ProductsStored> context)
    {
        if (context.Message.Products is not { Count: > 0 } products)
        {
            return;
        }

        var applied = await store.ApplyAsync(context.Message.BranchId, products, context.CancellationToken);
        LogApplied(context.Message.BranchId, context.Message.BatchId, products.Count, applied);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sales report: batch {BatchId} of {BranchId}, {Count} products, {Applied} newer than held")]
    private partial void LogApplied(string branchId, Guid batchId, int count, int applied);
}
