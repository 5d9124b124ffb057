using System.Diagnostics;

namespace SynchroMesh.IntegrationTests;

public sealed class When_the_link_stalls_while_a_row_is_being_sent
{
    [Fact]
    public async Task Should_still_take_the_tills_changes_to_that_row_at_once()
    {
        await using var system = await SyncSystem.StartAsync(["slow"], broker: new BrokerOptions(BehindLinks: true));
        var branch = system.Branch("slow");

        // Every byte to and from the broker now takes seconds: the outbox's publish waits for its confirms.
        branch.Link.Latency = TimeSpan.FromSeconds(8);
        var before = branch.Link.BytesUp;
        var created = await branch.CreateAsync(SaleInput.Example(product: "slow"));

        // The outbox has started to publish it: its frames are in the link.
        await Eventually.UntilAsync(
            () => Task.FromResult(branch.Link.BytesUp > before), TimeSpan.FromSeconds(10), "the branch's first bytes go up the slow link", interval: TimeSpan.FromMilliseconds(20));
        Assert.Equal(0, (await branch.GetAsync(created.Id)).SentVersion);

        var took = Stopwatch.StartNew();
        var updated = await branch.UpdateAsync(created.Id, SaleInput.Example(product: "slow", qty: 4));
        took.Stop();

        // A row lock held across the publish would make this wait for the confirms (or the publish timeout).
        Assert.True(took.Elapsed < TimeSpan.FromSeconds(4), $"the update waited {took.Elapsed} for the outbox");
        Assert.Equal(2, updated.Version);

        branch.Link.Latency = TimeSpan.Zero;
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(2, (await system.HeadOffice.GetAsync(branch.Id, created.Id))!.Version);
    }
}
