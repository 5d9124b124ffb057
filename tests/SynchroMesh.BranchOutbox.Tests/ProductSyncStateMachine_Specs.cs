using SynchroMesh.BranchOutbox.StateMachines;

namespace SynchroMesh.BranchOutbox.Tests;

public sealed class When_a_sent_product_is_acked
{
    [Fact]
    public async Task Should_wait_for_the_ack_then_be_synced_and_record_the_ack_on_the_row()
    {
        await using var spec = await SagaSpecContext.StartAsync(TimeSpan.FromMinutes(5));

        await spec.Sent(externalId: 7, version: 1);
        Assert.NotNull(await spec.Saga.Exists(SagaSpecContext.SagaId(7), m => m.WaitingForAck));
        Assert.NotNull(spec.Instance(7)!.AckTimeoutTokenId);

        await spec.Acked(externalId: 7, version: 1);
        Assert.NotNull(await spec.Saga.Exists(SagaSpecContext.SagaId(7), m => m.Synced));

        var saga = spec.Instance(7)!;
        Assert.Equal(1, saga.AckedVersion);
        Assert.Null(saga.AckTimeoutTokenId);
        Assert.Contains((7L, 1L), spec.Ledger.Acks);
        Assert.Empty(spec.Ledger.Resets);
    }
}

public sealed class When_an_ack_never_arrives
{
    [Fact]
    public async Task Should_time_out_reset_the_row_to_not_sent_and_wait_again_when_sent_again()
    {
        await using var spec = await SagaSpecContext.StartAsync(TimeSpan.FromMilliseconds(300));

        await spec.Sent(externalId: 3, version: 2);
        Assert.NotNull(await spec.Saga.Exists(SagaSpecContext.SagaId(3), m => m.NotSent));
        Assert.Contains((3L, 2L), spec.Ledger.Resets);
        Assert.Equal(1, spec.Instance(3)!.TimeoutCount);

        await spec.Sent(externalId: 3, version: 2);
        Assert.NotNull(await spec.Saga.Exists(SagaSpecContext.SagaId(3), m => m.WaitingForAck));

        await spec.Acked(externalId: 3, version: 2);
        Assert.NotNull(await spec.Saga.Exists(SagaSpecContext.SagaId(3), m => m.Synced));
    }
}

public sealed class When_an_ack_for_an_older_version_arrives
{
    [Fact]
    public async Task Should_not_mark_the_newer_sent_version_acked()
    {
        await using var spec = await SagaSpecContext.StartAsync(TimeSpan.FromMinutes(5));

        await spec.Sent(externalId: 5, version: 1);
        Assert.NotNull(await spec.Saga.Exists(SagaSpecContext.SagaId(5), m => m.WaitingForAck));
        await spec.Sent(externalId: 5, version: 2);
        Assert.True(await WaitFor.ConditionAsync(() => spec.Instance(5)?.SentVersion == 2));

        await spec.Acked(externalId: 5, version: 1);
        Assert.True(await WaitFor.ConditionAsync(() => spec.Instance(5)?.AckedVersion == 1));

        var saga = spec.Instance(5)!;
        Assert.Equal(spec.Machine.WaitingForAck.Name, saga.CurrentState);
        Assert.NotNull(saga.AckTimeoutTokenId);

        await spec.Acked(externalId: 5, version: 2);
        Assert.NotNull(await spec.Saga.Exists(SagaSpecContext.SagaId(5), m => m.Synced));
    }
}

public sealed class When_the_ack_overtakes_the_sent_event
{
    [Fact]
    public async Task Should_stay_synced_and_not_wait_for_an_ack_already_received()
    {
        await using var spec = await SagaSpecContext.StartAsync(TimeSpan.FromMinutes(5));

        await spec.Acked(externalId: 9, version: 4);
        Assert.NotNull(await spec.Saga.Exists(SagaSpecContext.SagaId(9), m => m.Synced));

        await spec.Sent(externalId: 9, version: 4);
        Assert.True(await spec.Harness.Consumed.Any<SynchroMesh.Contracts.ProductSent>());
        Assert.True(await spec.Saga.Consumed.Any<SynchroMesh.Contracts.ProductSent>());

        var saga = spec.Instance(9)!;
        Assert.Equal(spec.Machine.Synced.Name, saga.CurrentState);
        Assert.Null(saga.AckTimeoutTokenId);
    }
}
