namespace SynchroMesh.IntegrationTests;

public sealed class When_a_row_was_sent_long_ago_and_neither_ack_nor_timeout_came
{
    [Fact]
    public async Task Should_send_it_again_and_end_acked_at_the_head_office()
    {
        await using var system = await SyncSystem.StartAsync(["late"], ackTimeout: TimeSpan.FromSeconds(2));
        var branch = system.Branch("late");

        // As if it had been published an hour ago and every message about it had been lost since: no saga,
        // no scheduled timeout, nothing at the head office. One command, one transaction: the outbox never sees the
        // row before it is marked sent (the bookkeeping columns are the sync's own; a writer's insert cannot set them).
        var version = await branch.ScalarAsync<long>("""
            INSERT INTO branch.products (date, product, region, qty, cost, tax, created_at, updated_at)
            VALUES ('2026-11-24', 'lost-in-transit', 'north', 4, 1.25, 0.1, now() - interval '1 hour', now() - interval '1 hour');
            UPDATE branch.products SET sent_version = version, sent_at = now() - interval '1 hour' WHERE product = 'lost-in-transit';
            SELECT version FROM branch.products WHERE product = 'lost-in-transit' AND sent_version = version;
            """);

        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));

        var row = Assert.Single(await system.HeadOffice.ListAsync(branch.Id));
        Assert.Equal("lost-in-transit", row.Product);
        Assert.Equal(version, row.Version);
    }
}
