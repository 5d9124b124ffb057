using SynchroMesh.Contracts;

namespace SynchroMesh.BranchOutbox.Tests;

public sealed class When_a_sent_batch_is_acked
{
    [Fact]
    public async Task Should_wait_for_the_ack_record_it_on_every_row_and_be_done()
    {
        await using var spec = await SagaSpecContext.StartAsync(TimeSpan.FromMinutes(5));
        var batch = Guid.NewGuid();
        var products = SagaSpecContext.Versions((7, 1), (8, 3));

        await spec.Sent(batch, products);
        var waiting = await spec.Saga.Exists(batch, m => m.WaitingForAck);
        Assert.NotNull(waiting);
        Assert.NotNull(spec.Saga.Sagas.Contains(batch)!.AckTimeoutTokenId);
        Assert.Equal(2, spec.Saga.Sagas.Contains(batch)!.ProductCount);

        await spec.Acked(batch, products);
        Assert.Null(await spec.Saga.NotExists(batch));
        Assert.Equal(products, spec.Ledger.Acks);
        Assert.Empty(spec.Ledger.Resets);
    }
}

public sealed class When_a_batch_ack_never_arrives
{
    [Fact]
    public async Task Should_time_out_put_its_unacked_rows_back_to_be_sent_and_be_done()
    {
        await using var spec = await SagaSpecContext.StartAsync(TimeSpan.FromMilliseconds(300));
        var batch = Guid.NewGuid();

        await spec.Sent(batch, SagaSpecContext.Versions((3, 2)));
        Assert.True(await WaitFor.ConditionAsync(() => spec.Ledger.Resets.Contains(batch)));
        Assert.Null(await spec.Saga.NotExists(batch));
        Assert.Empty(spec.Ledger.Acks);
    }
}

public sealed class When_the_ack_overtakes_the_sent_event
{
    [Fact]
    public async Task Should_record_the_ack_and_let_the_late_sent_event_end_with_its_timeout()
    {
        await using var spec = await SagaSpecContext.StartAsync(TimeSpan.FromMilliseconds(300));
        var batch = Guid.NewGuid();
        var products = SagaSpecContext.Versions((9, 4));

        await spec.Acked(batch, products);
        Assert.True(await WaitFor.ConditionAsync(() => spec.Ledger.Acks.Count == 1));
        Assert.Null(await spec.Saga.NotExists(batch));

        // The late "sent" starts an instance; its timeout resends only rows still unacked (none, at the real ledger).
        await spec.Sent(batch, products);
        Assert.True(await spec.Saga.Consumed.Any<ProductBatchSent>());
        Assert.True(await WaitFor.ConditionAsync(() => spec.Ledger.Resets.Contains(batch)));
        Assert.Null(await spec.Saga.NotExists(batch));
    }
}

public sealed class When_an_ack_of_another_branch_arrives
{
    [Fact]
    public async Task Should_not_touch_this_branch_rows()
    {
        await using var spec = await SagaSpecContext.StartAsync(TimeSpan.FromMinutes(5));
        var batch = Guid.NewGuid();

        await spec.Acked(batch, SagaSpecContext.Versions((1, 1)), branchId: "another-branch");
        Assert.True(await spec.Saga.Consumed.Any<ProductsAcked>());
        Assert.Empty(spec.Ledger.Acks);
    }
}
