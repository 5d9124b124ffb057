using SynchroMesh.Contracts;

namespace SynchroMesh.HeadOfficeIngest.Tests;

internal static class Sales
{
    public static ProductSubmitted Product(string branchId, long externalId, long version = 1) =>
        ProductMessages.Submitted(branchId, externalId, version);

    public static ProductsSubmitted Batch(string branchId, params ProductSubmitted[] products) =>
        new() { BranchId = branchId, BatchId = Guid.NewGuid(), Products = products };

    public static long[] Versions(IReadOnlyList<ProductVersion> products) =>
        [.. products.OrderBy(p => p.ExternalId).Select(p => p.Version)];

    public static long[] Ids(IReadOnlyList<ProductVersion> products) => [.. products.Select(p => p.ExternalId).Order()];
}

public sealed class When_a_batch_holds_valid_and_invalid_products
{
    [Fact]
    public async Task Should_store_and_ack_the_valid_ones_then_fault_naming_each_invalid_one()
    {
        await using var ingest = await IngestHarness.StartAsync();
        var batch = Sales.Batch("north",
            Sales.Product("north", 1),
            Sales.Product("north", 2) with { Tax = -0.2f },
            Sales.Product("north", 3) with { Product = "espre\0sso" },
            Sales.Product("north", 4));

        await ingest.PublishAsync(batch, "branch-north");

        var failure = await ingest.FailureOfAsync<ProductsSubmitted>(b => b.BatchId == batch.BatchId);
        Assert.NotNull(failure);
        Assert.StartsWith($"ProductsSubmitted {batch.BatchId}: 2 of 4 products rejected (the others were stored): ", failure);
        Assert.Contains("externalId 2: tax: must be a finite, non-negative number", failure);
        Assert.Contains("externalId 3: product: must not contain the NUL character", failure);
        Assert.Equal([1L, 4L], ingest.Store.Rows.Keys.Select(k => k.ExternalId).Order());

        Assert.True(await ingest.Harness.Sent.Any<ProductsAcked>(s => s.Context.Message.BatchId == batch.BatchId));
        var ack = ingest.Harness.Sent.Select<ProductsAcked>(s => s.Context.Message.BatchId == batch.BatchId).Single().Context.Message;
        Assert.Equal([1L, 4L], Sales.Ids(ack.Products));
        Assert.True(await ingest.Harness.Published.Any<ProductsStored>(p => p.Context.Message.BatchId == batch.BatchId));
    }
}

public sealed class When_a_batch_holds_two_versions_of_one_row
{
    [Fact]
    public async Task Should_store_and_ack_the_newer_one()
    {
        await using var ingest = await IngestHarness.StartAsync();
        var batch = Sales.Batch("north", Sales.Product("north", 7, version: 9) with { Qty = 9 }, Sales.Product("north", 7, version: 5) with { Qty = 5 });

        await ingest.PublishAsync(batch, "branch-north");

        Assert.Null(await ingest.FailureOfAsync<ProductsSubmitted>(b => b.BatchId == batch.BatchId));
        Assert.Equal(9u, ingest.Store.Rows[("north", 7)].Qty);
        Assert.True(await ingest.Harness.Sent.Any<ProductsAcked>(s => s.Context.Message.BatchId == batch.BatchId));
        var ack = ingest.Harness.Sent.Select<ProductsAcked>(s => s.Context.Message.BatchId == batch.BatchId).Single().Context.Message;
        Assert.Equal([9L], Sales.Versions(ack.Products));
    }
}

public sealed class When_a_batch_is_not_published_by_its_branchs_own_broker_user
{
    [Theory]
    [InlineData("branch-south", "was published by the broker user 'branch-south'; only 'branch-north' may speak for that branch")]
    [InlineData(null, "carries no user-id; only the broker user 'branch-north' may speak for that branch")]
    public async Task Should_store_nothing_ack_nothing_and_fault_naming_the_users(string? publishedBy, string reason)
    {
        await using var ingest = await IngestHarness.StartAsync();
        var batch = Sales.Batch("north", Sales.Product("north", 1));

        await ingest.PublishAsync(batch, publishedBy);

        var failure = await ingest.FailureOfAsync<ProductsSubmitted>(b => b.BatchId == batch.BatchId);
        Assert.Equal($"ProductsSubmitted {batch.BatchId} rejected: it names branch 'north' but {reason}", failure);
        Assert.Empty(ingest.Store.Rows);
        Assert.False(await ingest.Harness.Sent.Any<ProductsAcked>(s => s.Context.Message.BatchId == batch.BatchId));
    }
}

public sealed class When_a_batch_is_malformed_as_a_whole
{
    [Fact]
    public async Task Should_refuse_a_batch_without_products_or_with_another_branchs_products()
    {
        await using var ingest = await IngestHarness.StartAsync();
        var empty = Sales.Batch("north");
        var mixed = Sales.Batch("north", Sales.Product("north", 1), Sales.Product("south", 2));

        await ingest.PublishAsync(empty, "branch-north");
        await ingest.PublishAsync(mixed, "branch-north");

        Assert.Equal($"ProductsSubmitted {empty.BatchId} rejected: products: between 1 and 1000 required",
            await ingest.FailureOfAsync<ProductsSubmitted>(b => b.BatchId == empty.BatchId));
        Assert.Contains("externalId 2: branchId: must be the batch's branch id",
            await ingest.FailureOfAsync<ProductsSubmitted>(b => b.BatchId == mixed.BatchId));
        Assert.Equal([("north", 1L)], ingest.Store.Rows.Keys);
    }

    [Fact]
    public async Task Should_refuse_a_batch_whose_branch_id_is_not_one()
    {
        await using var ingest = await IngestHarness.StartAsync();
        var batch = Sales.Batch("North!", Sales.Product("North!", 1));

        await ingest.PublishAsync(batch, "branch-North!");

        Assert.Equal($"ProductsSubmitted {batch.BatchId} rejected: branchId: must match ^[a-z0-9][a-z0-9-]{{0,39}}$",
            await ingest.FailureOfAsync<ProductsSubmitted>(b => b.BatchId == batch.BatchId));
        Assert.Empty(ingest.Store.Rows);
    }
}

public sealed class When_a_single_product_is_submitted
{
    [Fact]
    public async Task Should_store_and_ack_a_valid_one_and_refuse_an_invalid_one_naming_its_fields()
    {
        await using var ingest = await IngestHarness.StartAsync();
        var valid = Sales.Product("north", 11, version: 3);
        var invalid = Sales.Product("north", 12) with { Version = 0, Region = "" };

        await ingest.PublishAsync(valid, "branch-north");
        await ingest.PublishAsync(invalid, "branch-north");

        Assert.Null(await ingest.FailureOfAsync<ProductSubmitted>(p => p.ExternalId == 11));
        Assert.True(await ingest.Harness.Published.Any<ProductAcked>(a => a.Context.Message is { ExternalId: 11, Version: 3 }));
        Assert.Equal("ProductSubmitted rejected: version: must be positive; region: required, at most 100 characters",
            await ingest.FailureOfAsync<ProductSubmitted>(p => p.ExternalId == 12));
        Assert.Equal([("north", 11L)], ingest.Store.Rows.Keys);
    }
}
