namespace SynchroMesh.HeadOfficeIngest.Consumers;

/// <summary>
/// Stores a branch's product version and acks it. The ack is published after the commit, for duplicates and
/// stale versions too, so a branch whose earlier ack was lost is told again.
/// </summary>
public sealed partial class ProductSubmittedConsumer(IProductStore store, IngestMetrics metrics, ILogger<ProductSubmittedConsumer> logger)
    : IConsumer<ProductSubmitted>
{
    public async Task Consume(ConsumeContext<ProductSubmitted> context)
    {
        var message = context.Message;
        SyncTelemetry.TagCurrent(message.BranchId, null, [message.ExternalId]);
        var errors = ProductSubmittedValidator.Validate(message);
        if (errors.Count > 0)
        {
            throw new InvalidMessageException($"ProductSubmitted rejected: {string.Join("; ", errors)}");
        }

        BranchBrokerUsers.EnsurePublishedByBranch(context, message.BranchId, $"ProductSubmitted {message.ExternalId}");

        var (_, written) = await store.StoreAndAnnounceAsync(context, message.BranchId, context.MessageId ?? Guid.Empty, [message]);
        LogStored(message.BranchId, message.ExternalId, message.Version, written > 0);

        await context.Publish(new ProductAcked
        {
            BranchId = message.BranchId,
            ExternalId = message.ExternalId,
            Version = message.Version,
        }, context.CancellationToken);

        metrics.Stored(message.BranchId, 1, written);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Product {BranchId}/{ExternalId} v{Version} received, written: {Written}")]
    private partial void LogStored(string branchId, long externalId, long version, bool written);
}
