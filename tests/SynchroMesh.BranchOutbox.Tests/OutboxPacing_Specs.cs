using SynchroMesh.BranchOutbox.Outbox;

namespace SynchroMesh.BranchOutbox.Tests;

public sealed class When_the_outbox_is_woken_with_nothing_in_flight
{
    [Fact]
    public async Task Should_send_at_once()
    {
        var pacing = new OutboxPacing(new FakeTimeProvider());

        var wait = pacing.WhenNoneInFlightAsync(TimeSpan.FromMilliseconds(100), CancellationToken.None);

        Assert.True(wait.IsCompletedSuccessfully, "an idle outbox waited before sending");
        await wait;
    }
}

public sealed class When_the_outbox_is_woken_while_its_last_batches_wait_for_their_acks
{
    private static readonly TimeSpan AtMost = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Should_let_changes_gather_until_every_ack_is_back()
    {
        var clock = new FakeTimeProvider();
        var pacing = new OutboxPacing(clock);
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        pacing.Sent([first, second]);

        var wait = pacing.WhenNoneInFlightAsync(AtMost, CancellationToken.None);
        pacing.Acked(first);
        Assert.False(wait.IsCompleted, "the outbox sent again while a batch still waited for its ack");
        pacing.Acked(Guid.NewGuid());
        Assert.False(wait.IsCompleted, "an ack of another batch counted for this one");

        pacing.Acked(second);
        await wait.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Should_wait_no_longer_than_its_bound_when_an_ack_is_lost_and_then_forget_it()
    {
        var clock = new FakeTimeProvider();
        var pacing = new OutboxPacing(clock);
        pacing.Sent([Guid.NewGuid()]);

        var wait = pacing.WhenNoneInFlightAsync(AtMost, CancellationToken.None);
        clock.Advance(AtMost - TimeSpan.FromMilliseconds(1));
        Assert.False(wait.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await wait.WaitAsync(TimeSpan.FromSeconds(5));

        // The lost ack no longer holds the next pass.
        Assert.True(pacing.WhenNoneInFlightAsync(AtMost, CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public void Should_not_wait_for_batches_whose_publish_failed()
    {
        var pacing = new OutboxPacing(new FakeTimeProvider());
        var (published, failed) = (Guid.NewGuid(), Guid.NewGuid());
        pacing.Sent([published, failed]);

        pacing.Forget([failed]);
        Assert.False(pacing.WhenNoneInFlightAsync(AtMost, CancellationToken.None).IsCompleted, "a batch that did go out was forgotten too");
        pacing.Acked(published);

        Assert.True(pacing.WhenNoneInFlightAsync(AtMost, CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Should_hear_of_the_ack_from_the_batch_saga_once_it_is_recorded()
    {
        await using var spec = await SagaSpecContext.StartAsync();
        var batch = Guid.NewGuid();
        var products = SagaSpecContext.Versions((1, 1));
        spec.Pacing.Sent([batch]);
        await spec.Sent(batch, products);
        var wait = spec.Pacing.WhenNoneInFlightAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.False(wait.IsCompleted);

        await spec.Acked(batch, products);

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(products, spec.Ledger.Acks);
    }
}
