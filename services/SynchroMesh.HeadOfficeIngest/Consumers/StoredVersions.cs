namespace SynchroMesh.HeadOfficeIngest.Consumers;

/// <summary>
/// What both product consumers do once a message's products are known to be valid: store them idempotently and
/// tell the head office's own subscribers (<see cref="ProductsStored"/>). Each consumer then acks in the form its
/// sender understands.
/// </summary>
internal static class StoredVersions
{
    /// <returns>The versions now held (duplicates and stale versions too) and how many rows were created or updated.</returns>
    public static async Task<(List<ProductVersion> Versions, int Written)> StoreAndAnnounceAsync(
        this IProductStore store, ConsumeContext context, string branchId, Guid batchId, IReadOnlyList<ProductSubmitted> products)
    {
        var written = await store.UpsertAsync(products, context.CancellationToken);
        var versions = products.Select(p => new ProductVersion { ExternalId = p.ExternalId, Version = p.Version }).ToList();

        // For whoever builds on the head office's data (the sales report, say): they subscribe, the consumers stay as they are.
        await context.Publish(new ProductsStored { BranchId = branchId, BatchId = batchId, Products = versions },
            context.CancellationToken);
        return (versions, written);
    }
}
