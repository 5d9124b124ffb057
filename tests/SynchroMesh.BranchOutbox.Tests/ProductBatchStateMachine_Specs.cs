namespace SynchroMesh.BranchOutbox.Tests;

public sealed class When_a_sent_batch_is_acked
{
    [Fact]
    public async Task Should_wait_for_the_ack_record_it_on_every_row_and_be_done()
    {
        await using var spec = await SagaSpecContext.StartAsync();
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
    private static readonly TimeSpan AckTimeout = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Should_time_out_put_its_unacked_rows_back_to_be_sent_and_be_done()
    {
        var batch = Guid.NewGuid();
        await using var spec = await TimedOutAsync(batch, "the timeout puts the batch's rows back");

        Assert.Null(await spec.Saga.NotExists(batch));
        Assert.Empty(spec.Ledger.Acks);
    }

    [Fact]
    public async Task Should_wake_the_outbox_to_send_the_rows_it_put_back_at_once()
    {
        await using var spec = await SagaSpecContext.StartAsync(AckTimeout);
        spec.Ledger.UnackedRows = 2;
        var batch = Guid.NewGuid();

        await spec.Sent(batch, SagaSpecContext.Versions((3, 2), (4, 5)));
        Assert.True(await spec.Outbox.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None), "the outbox is woken when the timeout puts rows back");
        Assert.Contains(batch, spec.Ledger.Resets);
    }

    [Fact]
    public async Task Should_leave_the_outbox_asleep_when_every_row_was_acked_meanwhile()
    {
        var batch = Guid.NewGuid();
        await using var spec = await TimedOutAsync(batch, "the timeout runs");

        Assert.Null(await spec.Saga.NotExists(batch));
        Assert.False(await spec.Outbox.WaitAsync(TimeSpan.FromMilliseconds(500), CancellationToken.None), "nothing was put back, so nothing wakes the outbox");
    }

    /// <summary>Sends a batch of one row and waits until its ack timeout has asked the ledger to put the batch's unacked rows back.</summary>
    private static async Task<SagaSpecContext> TimedOutAsync(Guid batch, string what)
    {
        var spec = await SagaSpecContext.StartAsync(AckTimeout);
        try
        {
            await spec.Sent(batch, SagaSpecContext.Versions((3, 2)));
            await Eventually.UntilAsync(() => spec.Ledger.Resets.Contains(batch), TimeSpan.FromSeconds(10), what);
            return spec;
        }
        catch
        {
            await spec.DisposeAsync();
            throw;
        }
    }
}

public sealed class When_a_copy_of_an_ack_arrives_after_its_batch_is_done
{
    [Fact]
    public async Task Should_record_it_again_and_leave_no_instance_behind()
    {
        await using var spec = await SagaSpecContext.StartAsync();
        var batch = Guid.NewGuid();
        var products = SagaSpecContext.Versions((9, 4));
        await spec.Sent(batch, products);
        Assert.NotNull(await spec.Saga.Exists(batch, m => m.WaitingForAck));
        await spec.Acked(batch, products);
        Assert.Null(await spec.Saga.NotExists(batch));

        // The head office acks every copy it receives; a copy that comes after the batch is done is recorded (the
        // ledger ignores versions it already holds) and ends there.
        await spec.Acked(batch, products);
        await Eventually.UntilAsync(() => spec.Ledger.Acks.Count == 2, TimeSpan.FromSeconds(10), "the copy of the ack is recorded");
        Assert.Null(await spec.Saga.NotExists(batch));
        Assert.Empty(spec.Ledger.Resets);
    }
}

public sealed class When_an_ack_of_another_branch_arrives
{
    [Fact]
    public async Task Should_not_touch_this_branch_rows()
    {
        await using var spec = await SagaSpecContext.StartAsync();
        var batch = Guid.NewGuid();

        await spec.Acked(batch, SagaSpecContext.Versions((1, 1)), branchId: "another-branch");
        Assert.True(await spec.Saga.Consumed.Any<ProductsAcked>());
        Assert.Empty(spec.Ledger.Acks);
    }
}
