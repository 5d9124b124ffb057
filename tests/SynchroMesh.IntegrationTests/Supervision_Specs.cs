using System.Net.Http.Json;

namespace SynchroMesh.IntegrationTests;

/// <summary>
/// Supervision settings short enough for a spec; MassTransit's debug log shows each endpoint's reconnects in the whole
/// log of a failure.
/// </summary>
internal static class QuickSupervision
{
    /// <summary>Longer than a refusal the specs make lasts, so that the first restart finds the cause gone.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    public static Dictionary<string, string> Settings() => new()
    {
        ["Supervision__CheckInterval"] = "00:00:01",
        ["Supervision__EndpointGrace"] = Grace.ToString("c"),
        ["Supervision__OutboxGrace"] = Grace.ToString("c"),
        ["Supervision__RestartTimeout"] = "00:00:20",
        ["Logging__LogLevel__MassTransit"] = "Debug",
    };
}

public sealed class When_a_branch_reconnects_while_the_broker_refuses_its_password_for_a_while
{
    [Fact]
    public async Task Should_restart_its_endpoints_that_gave_up_once_the_password_is_accepted_again_and_sync_on()
    {
        await using var system = await SyncSystem.StartAsync(["cred"], ackTimeout: TimeSpan.FromSeconds(5),
            broker: new BrokerOptions(BehindLinks: true), branchSettings: QuickSupervision.Settings());
        var branch = system.Branch("cred");
        await new SalesWorkload(branch, seed: 41).WriteAsync(20);
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));

        // A rotation half done: the broker holds another password for the branch's user, and the link drops, so the
        // branch reconnects with its own and is refused. MassTransit's receive endpoints do not retry an authentication
        // failure: they stay Faulted even once the broker takes the password again.
        var user = new BranchTopology(branch.Id).User;
        await TestServers.Management.PutUserAsync(user, "rotated-" + Guid.NewGuid().ToString("N"));
        branch.Link.Cut();
        branch.Link.Restore();
        await Eventually.UntilAsync(async () => !(await branch.StatusAsync()).BrokerConnected, TimeSpan.FromSeconds(30), "the branch loses its broker connection");
        await new SalesWorkload(branch, seed: 42).WriteAsync(20);
        await Eventually.UntilAsync(
            () => Task.FromResult(branch.Process.RecentLog.Contains("ACCESS_REFUSED - Login was refused", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the broker refuses the branch's password");
        Assert.False(await Eventually.HoldsWithinAsync(async () => (await branch.StatusAsync()).BrokerConnected, TimeSpan.FromSeconds(10)),
            "the branch connected with a password the broker refuses");

        // The rotation is undone. Nothing outside the branch restarts it.
        await TestServers.Management.PutUserAsync(user, branch.Process.Settings["RabbitMq__Password"]);
        await branch.WaitUntilAllAckedAsync(QuickSupervision.Grace * 8);

        var status = await branch.StatusAsync();
        Assert.True(status.BrokerConnected, status.BrokerStatus);
        Assert.True(status.Supervision.Live);
        // (The outbox, idle while the bus was down, may have had the bus restarted too.)
        var restart = Assert.Single(status.Supervision.Recent, r => r.Part == "receive-endpoints");
        Assert.Equal("restartEndpoints", restart.Action);
        Assert.Contains("product-sync: restarted", restart.Outcome);
        // Ready again, its scheduler included (it waits on standby through a bus restart).
        await Eventually.UntilAsync(async () =>
            {
                using var ready = await branch.Process.Http.GetAsync("/health/ready");
                return ready.IsSuccessStatusCode;
            }, TimeSpan.FromSeconds(30), "the branch is ready again");
        await system.EnsureInvariantsHoldAsync();
    }
}

public sealed class When_the_head_office_reconnects_while_the_broker_refuses_its_password_for_a_while
{
    [Fact]
    public async Task Should_restart_its_endpoints_that_gave_up_once_the_password_is_accepted_again_and_ingest_on()
    {
        await using var system = await SyncSystem.StartAsync(["ho-cred"], ackTimeout: TimeSpan.FromSeconds(5),
            broker: new BrokerOptions(HeadOfficeUser: true), headOfficeSettings: QuickSupervision.Settings());
        var branch = system.Branch("ho-cred");
        var headOffice = system.HeadOffice.Process;
        await new SalesWorkload(branch, seed: 51).WriteAsync(10);
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));

        // The head office's password changes on the broker and its connections drop: it reconnects and is refused.
        var user = system.HeadOfficeUser!;
        await TestServers.Management.PutUserAsync(user, "rotated-" + Guid.NewGuid().ToString("N"), "impersonator");
        await TestServers.Management.CloseConnectionsAsync(user);
        // MassTransit's receive endpoints give up at the refusal, for good.
        await Eventually.UntilAsync(
            () => Task.FromResult(headOffice.RecentLog.Contains("ReceiveTransport Cannot Retry", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the head office's endpoints give up at the refusal");
        await new SalesWorkload(branch, seed: 52).WriteAsync(10);

        // The rotation is undone. Nothing outside the head office restarts it.
        await TestServers.Management.PutUserAsync(user, headOffice.Settings["RabbitMq__Password"], "impersonator");
        await branch.WaitUntilAllAckedAsync(QuickSupervision.Grace * 8);

        var supervision = (await headOffice.Http.GetFromJsonAsync<SupervisionView>("/health/supervision"))!;
        Assert.True(supervision.Live);
        var restart = Assert.Single(supervision.Recent);
        Assert.Equal(("receive-endpoints", "restartEndpoints"), (restart.Part, restart.Action));
        Assert.Contains("head-office-products-submitted: restarted", restart.Outcome);
        await system.EnsureInvariantsHoldAsync();
    }
}
