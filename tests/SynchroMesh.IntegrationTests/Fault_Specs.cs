namespace SynchroMesh.IntegrationTests;

public sealed class When_a_branch_is_offline_for_a_long_time
{
    [Fact]
    public async Task Should_deliver_its_whole_backlog_when_its_link_comes_back()
    {
        await using var system = await SyncSystem.StartAsync(["off", "on"], ackTimeout: TimeSpan.FromSeconds(10),
            broker: new BrokerOptions(BehindLinks: true));
        var offline = system.Branch("off");
        var online = system.Branch("on");

        offline.Link.Cut();
        await Task.WhenAll(new SalesWorkload(offline, seed: 11).WriteAsync(1500), new SalesWorkload(online, seed: 12).WriteAsync(100));

        // The other branch is not held back by the one that is offline.
        await online.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(await offline.ScalarAsync<long>("SELECT count(*) FROM branch.products"), await offline.CountNotAckedAsync());

        offline.Link.Restore();
        await offline.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(180));

        await system.EnsureInvariantsHoldAsync();
    }
}

public sealed class When_links_flap_while_every_branch_writes
{
    [Fact]
    public async Task Should_end_with_every_change_at_the_head_office_once()
    {
        // MassTransit's debug log shows each endpoint's and connection's reconnects, for a failure's log.
        await using var system = await SyncSystem.StartAsync(["f1", "f2", "f3"], ackTimeout: TimeSpan.FromSeconds(5),
            broker: new BrokerOptions(BehindLinks: true), branchSettings: new Dictionary<string, string> { ["Logging__LogLevel__MassTransit"] = "Debug" });
        var random = new Random(2026);

        using (var writing = new CancellationTokenSource(TimeSpan.FromSeconds(25)))
        {
            var writers = system.Branches.Select((b, i) => new SalesWorkload(b, seed: 100 + i)
                .WriteUntilAsync(writing.Token, TimeSpan.FromMilliseconds(40))).ToList();

            // Each link goes down and up at random moments, a few seconds at a time.
            using var flap = new PeriodicTimer(TimeSpan.FromMilliseconds(700));
            while (await flap.WaitForNextTickAsync(CancellationToken.None) && !writing.IsCancellationRequested)
            {
                var link = system.Branches.ElementAt(random.Next(system.Branches.Count)).Link;
                if (link.IsUp)
                {
                    link.Cut();
                }
                else
                {
                    link.Restore();
                }
            }

            await Task.WhenAll(writers);
        }

        foreach (var branch in system.Branches)
        {
            branch.Link.Restore();
        }

        Assert.All(system.Branches, b => Assert.True(b.Link.Cuts > 0, $"{b.Id} never lost its link"));
        await system.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(120));

        await system.EnsureInvariantsHoldAsync();
    }
}

public sealed class When_the_head_office_is_killed_in_the_middle_of_ingesting
{
    [Fact]
    public async Task Should_lose_nothing_and_store_nothing_twice()
    {
        await using var system = await SyncSystem.StartAsync(["k"], ackTimeout: TimeSpan.FromSeconds(10));
        var branch = system.Branch("k");
        await branch.BuildBacklogAsync(seed: 7, writes: 600);

        // Batched ingest is quick: the kills land at a sixth, a third and a half of the backlog.
        for (var kill = 1; kill <= 3; kill++)
        {
            var target = kill * 5_000;
            await branch.UntilAckedAsync(target, TimeSpan.FromSeconds(60), $"ingest reaches {target} rows before kill {kill}");
            await system.HeadOffice.Process.KillAsync();
            await system.HeadOffice.Process.StartAndWaitUntilReadyAsync();
        }

        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(120));
        await system.EnsureInvariantsHoldAsync();
    }
}

public sealed class When_a_branch_is_killed_while_sending
{
    [Fact]
    public async Task Should_send_or_ack_every_row_after_restart_and_leave_none_stuck()
    {
        await using var system = await SyncSystem.StartAsync(["kb"], ackTimeout: TimeSpan.FromSeconds(3));
        var branch = system.Branch("kb");

        await system.HeadOffice.Process.StopAsync();
        await branch.BuildBacklogAsync(seed: 5, writes: 400);
        await system.HeadOffice.Process.StartAndWaitUntilReadyAsync();

        // Killed while rows are being sent and acks are coming back.
        await branch.UntilAckedAsync(1, TimeSpan.FromSeconds(60), "the head office acks a first row");
        await branch.Process.KillAsync();
        Assert.True(await branch.CountNotAckedAsync() > 0, "the branch finished before it was killed: the spec proves nothing");

        await branch.Process.StartAndWaitUntilReadyAsync();
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(120));
        await system.EnsureInvariantsHoldAsync();
    }
}

public sealed class When_rabbitmq_is_killed_with_messages_in_flight
{
    [Fact]
    public async Task Should_lose_no_message_it_confirmed()
    {
        await using var system = await SyncSystem.StartAsync(["rk1", "rk2"], ackTimeout: TimeSpan.FromSeconds(5));

        using (var writing = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            var writers = system.Branches.Select((b, i) => new SalesWorkload(b, seed: 300 + i)
                .WriteUntilAsync(writing.Token, TimeSpan.FromMilliseconds(25))).ToList();
            try
            {
                await Eventually.UntilAsync(
                    async () => await system.Branches.First().ScalarAsync<long>("SELECT count(*) FROM branch.products WHERE sent_version > 0") > 50,
                    TimeSpan.FromSeconds(30), "the branch sends more than 50 rows");
                await TestServers.ControlAsync("kill-rabbit");
            }
            finally
            {
                await TestServers.ControlAsync("start-rabbit");
            }

            await Task.WhenAll(writers);
        }

        await system.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(120));

        await system.EnsureInvariantsHoldAsync();
    }
}

public sealed class When_postgresql_is_killed_during_ingest
{
    [Fact]
    public async Task Should_recover_without_a_restart_and_lose_nothing()
    {
        await using var system = await SyncSystem.StartAsync(["pk"], ackTimeout: TimeSpan.FromSeconds(5));
        var branch = system.Branch("pk");

        // A backlog recorded while the head office is down: the tills' mix of changes, and a day's worth of sales
        // recorded straight into the branch's table.
        await system.HeadOffice.Process.StopAsync();
        await branch.BuildBacklogAsync(seed: 9, writes: 1500);

        // Ingest is fast in batches, so the kill is made to land in its middle rather than raced against it: an open
        // transaction holds the key of a row from the middle of the backlog, and the head office's batch holding
        // that row waits on it while the others go on. The kill ends that transaction too; nothing of it is kept.
        var heldId = await branch.ScalarAsync<long>("SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY id) FROM branch.products");
        // Unpooled: closing it after the kill only drops the socket, where a pooled one would try to reset its session.
        var holding = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionStringFor(system.HeadOffice.Database)) { Pooling = false };
        await using var holder = new NpgsqlConnection(holding.ConnectionString);
        await holder.OpenAsync();
        await using (var hold = new NpgsqlCommand("""
            BEGIN;
            INSERT INTO head_office.products
                (branch_id, external_id, version, date, product, region, qty, cost, tax, created_at, updated_at, received_at)
            VALUES (@branch, @id, 1, DATE '2026-11-01', 'held', 'held', 1, 1, 0, now(), now(), now())
            """, holder))
        {
            hold.Parameters.AddWithValue("branch", branch.Id);
            hold.Parameters.AddWithValue("id", heldId);
            await hold.ExecuteNonQueryAsync();
        }

        await system.HeadOffice.Process.StartAndWaitUntilReadyAsync();
        try
        {
            await branch.UntilAckedAsync(1, TimeSpan.FromSeconds(60), "the head office acks a first row");
            await Eventually.UntilAsync(
                async () => await HeadOfficeWaitsOnALockAsync(system.HeadOffice.Database),
                TimeSpan.FromSeconds(60), "the head office waits on the held row");
            Assert.True(await branch.CountNotAckedAsync() > 0, "ingest finished before the kill: the spec proves nothing");
            await TestServers.ControlAsync("kill-postgres");
        }
        finally
        {
            await TestServers.ControlAsync("start-postgres");
        }

        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(180));
        await system.EnsureInvariantsHoldAsync();
    }

    private static async Task<bool> HeadOfficeWaitsOnALockAsync(string database)
    {
        await using var connection = new NpgsqlConnection(TestDatabase.ConnectionStringFor("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = @database AND wait_event_type = 'Lock'", connection);
        command.Parameters.AddWithValue("database", database);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }
}
