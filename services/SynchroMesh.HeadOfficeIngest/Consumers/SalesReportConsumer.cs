namespace SynchroMesh.HeadOfficeIngest.Consumers;

/// <summary>
/// Keeps the sales report's projection from the ingest's <see cref="ProductsStored"/> events, on a queue of its own:
/// the ingest knows nothing of it, and a failing or slow report never holds up a branch's acks. Events are taken a
/// batch at a time (see <see cref="SalesReportConsumerDefinition"/>), one statement for all of them: the report may
/// follow the ingest by up to the batch's time limit, and costs a statement per batch of events, not per event.
/// </summary>
public sealed partial class SalesReportConsumer(SalesReportStore store, ILogger<SalesReportConsumer> logger) : IConsumer<Batch<ProductsStored>>
{
    public async Task Consume(ConsumeContext<Batch<ProductsStored>> context)
    {
        var keys = context.Message
            .SelectMany(stored => (stored.Message.Products ?? []).Select(p => (stored.Message.BranchId, p.ExternalId)))
            .Where(key => key.BranchId is not null)
            .ToList();
        if (keys.Count == 0)
        {
            return;
        }

        var applied = await store.ApplyAsync(keys, context.CancellationToken);
        LogApplied(context.Message.Length, keys.Count, applied);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sales report: {Events} events naming {Count} products, {Applied} newer than held")]
    private partial void LogApplied(int events, int count, int applied);
}
