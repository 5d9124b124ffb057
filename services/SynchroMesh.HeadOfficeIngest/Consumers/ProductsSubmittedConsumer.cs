namespace SynchroMesh.HeadOfficeIngest.Consumers;

/// <summary>
/// Stores a branch's batch of product versions in one statement, then publishes <see cref="ProductsStored"/> for
/// what else the head office builds (<see cref="StoredVersions"/>), and acks them in one message: both after the
/// commit, for duplicates and stale versions too. Invalid products are never stored: the valid ones are stored and
/// acked, then the batch goes to the error queue with a reason naming each invalid product.
/// </summary>
public sealed partial class ProductsSubmittedConsumer(IProductStore store, IngestMetrics metrics, ILogger<ProductsSubmittedConsumer> logger)
    : IConsumer<ProductsSubmitted>
{
    public async Task Consume(ConsumeContext<ProductsSubmitted> context)
    {
        var batch = context.Message;
        SyncTelemetry.TagCurrent(batch.BranchId, batch.BatchId, batch.Products?.Select(p => p.ExternalId) ?? []);
        if (!BranchIds.IsValid(batch.BranchId))
        {
            throw new InvalidMessageException($"ProductsSubmitted {batch.BatchId} rejected: {ProductSubmittedValidator.InvalidBranchId}");
        }

        BranchBrokerUsers.EnsurePublishedByBranch(context, batch.BranchId, $"ProductsSubmitted {batch.BatchId}");

        if (batch.Products is not { Count: > 0 and <= ProductRules.MaxBatchProducts })
        {
            throw new InvalidMessageException(
                $"ProductsSubmitted {batch.BatchId} rejected: products: between 1 and {ProductRules.MaxBatchProducts} required");
        }

        var rejected = new List<string>();
        var valid = new Dictionary<long, ProductSubmitted>();
        foreach (var product in batch.Products)
        {
            var errors = ProductSubmittedValidator.Validate(product).ToList();
            if (product.BranchId != batch.BranchId)
            {
                errors.Add("branchId: must be the batch's branch id");
            }

            if (errors.Count > 0)
            {
                rejected.Add($"externalId {product.ExternalId}: {string.Join(", ", errors)}");
            }
            else if (!valid.TryGetValue(product.ExternalId, out var kept) || kept.Version < product.Version)
            {
                // Two versions of one row in one batch: the newer one is what the row is.
                valid[product.ExternalId] = product;
            }
        }

        if (valid.Count > 0)
        {
            var (versions, written) = await store.StoreAndAnnounceAsync(context, batch.BranchId, batch.BatchId, valid.Values.ToList());
            LogStored(batch.BranchId, batch.BatchId, valid.Count, written);

            // To the branch's own acks exchange: only that branch hears it (see ProductAckRouting).
            var branchAcks = await context.GetSendEndpoint(ProductAckRouting.AckAddress(batch.BranchId));
            await branchAcks.Send(new ProductsAcked { BranchId = batch.BranchId, BatchId = batch.BatchId, Products = versions },
                context.CancellationToken);

            // Counted once the ack is out: a retry after a failed publish is not counted twice.
            metrics.Stored(batch.BranchId, valid.Count, written);
        }

        if (rejected.Count > 0)
        {
            throw new InvalidMessageException(
                $"ProductsSubmitted {batch.BatchId}: {rejected.Count} of {batch.Products.Count} products rejected (the others were stored): " +
                string.Join("; ", rejected));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Batch {BatchId} of {BranchId}: {Count} products received, {Written} written")]
    private partial void LogStored(string branchId, Guid batchId, int count, int written);
}
