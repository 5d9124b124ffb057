
namespace SynchroMesh.IntegrationTests;

[Collection(IntegrationCollection.Name)]
public sealed class When_a_row_was_sent_long_ago_and_neither_ack_nor_timeout_came
{
    [Fact]
    public async Task Should_send_it_again_and_end_acked_at_the_head_office()
    {
        await using var system = await SyncSystem.StartAsync(["late"], ackTimeout: TimeSpan.FromSeconds(2));
        var branch = system.Branch("late");

        // As if it had been published an hour ago and every message about it had been lost since: no saga,
        // no scheduled timeout, nothing at the head office.
        await branch.ScalarAsync<long>("""
            INSERT INTO branch.products (date, product, region, qty, cost, tax, created_at, updated_at,
                                         version, sent_version, acked_version, sent_at)
            VALUES ('2026-11-24', 'lost-in-transit', 'north', 4, 1.25, 0.1, now() - interval '1 hour',
                    now() - interval '1 hour', 1, 1, 0, now() - interval '1 hour')
            RETURNING id
            """);

        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));

        var row = Assert.Single(await system.HeadOffice.ListAsync(branch.Id));
        Assert.Equal("lost-in-transit", row.Product);
        Assert.Equal(1, row.Version);
    }
}
