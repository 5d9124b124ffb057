using System.Net;
using System.Net.Http.Json;

namespace SynchroMesh.IntegrationTests;

/// <summary>
/// Both services started while the servers they are configured with cannot be reached (the databases, and the
/// branch's broker, behind links that refuse connections): they must start anyway, say not-ready, keep trying,
/// and become ready, losing nothing, once the servers appear.
/// </summary>
public sealed class When_a_service_starts_while_its_servers_are_unreachable : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly List<IAsyncDisposable> _owned = [];
    private string VirtualHost => $"sm-it-{_suffix}";
    private string BranchId => $"it-unreach-{_suffix}";

    [Fact]
    public async Task Should_report_not_ready_hold_messages_and_sync_once_the_servers_appear()
    {
        var postgres = new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString);
        var headOfficeDbLink = Own(new LinkProxy(postgres.Host!, postgres.Port));
        var branchDbLink = Own(new LinkProxy(postgres.Host!, postgres.Port));
        var branchBrokerLink = Own(new LinkProxy(TestServers.RabbitHost, TestServers.RabbitPort));
        headOfficeDbLink.Cut();
        branchDbLink.Cut();
        branchBrokerLink.Cut();

        var headOffice = new HeadOffice($"sm_it_ho_{_suffix}", [Own(new ServiceProcess("SynchroMesh.HeadOfficeIngest",
            new Dictionary<string, string>(TestServers.BrokerSettings(VirtualHost))
            {
                ["ConnectionStrings__HeadOffice"] = ThroughLink($"sm_it_ho_{_suffix}", headOfficeDbLink),
            }))]);
        var access = await BranchAccounts.ProvisionAsync(BranchId, VirtualHost);
        var branch = new BranchOffice(BranchId, $"sm_it_unreach_{_suffix}", Own(new ServiceProcess("SynchroMesh.BranchOutbox",
            new Dictionary<string, string>(TestServers.BrokerSettings(VirtualHost, branchBrokerLink.Port))
            {
                ["Branch__Id"] = BranchId,
                ["RabbitMq__Username"] = access["RabbitMq__Username"],
                ["RabbitMq__Password"] = access["RabbitMq__Password"],
                ["ConnectionStrings__Branch"] = ThroughLink($"sm_it_unreach_{_suffix}", branchDbLink),
                ["Sync__AckTimeout"] = "00:00:10",
                ["Sync__PollInterval"] = "00:00:00.200",
            })));

        headOffice.Process.Start();
        branch.Process.Start();

        // Started: live, and honest about not being ready, for as long as the servers stay away.
        foreach (var process in new[] { headOffice.Process, branch.Process })
        {
            await Eventually.UntilAsync(async () => await StatusAsync(process, "/health/live") == HttpStatusCode.OK,
                TimeSpan.FromSeconds(60), "the service is live", () => Task.FromResult(process.RecentLog));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(process, "/health/ready"));
        }

        // It keeps trying, with back-off, rather than giving up or crashing.
        await Eventually.UntilAsync(
            () => Task.FromResult(headOffice.Process.RecentLog.Contains("(attempt 3)", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), "the head office retries its database a third time", () => Task.FromResult(headOffice.Process.RecentLog));
        Assert.True(headOffice.Process.IsRunning && branch.Process.IsRunning);

        // A till's sale while the branch database is away: a clear 503 to retry, nothing half-stored.
        using (var refused = await branch.Process.Http.PostAsJsonAsync("/products", SaleInput.Example()))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Contains("database", await refused.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }

        // A product that reaches the head office meanwhile waits in its queue: not retried to death, not in the error queue.
        await Eventually.UntilAsync(() => TestServers.Management.QueueExistsAsync(VirtualHost, "head-office-product-submitted"),
            TimeSpan.FromSeconds(60), "the head office's single-product queue exists", () => Task.FromResult(headOffice.Process.RecentLog));
        var bus = TestServers.CreateBus(VirtualHost, publishAs: new BranchTopology("it-early-" + _suffix).User);
        await bus.StartAsync();
        try
        {
            await bus.Publish(ProductMessages.Submitted("it-early-" + _suffix, externalId: 1));
        }
        finally
        {
            await bus.StopAsync();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(headOffice.Process, "/health/ready"));

        headOfficeDbLink.Restore();
        branchDbLink.Restore();
        await headOffice.Process.WaitUntilReadyAsync();

        // The branch's database is back but its broker is not: still not ready, still taking sales.
        await Eventually.UntilAsync(async () =>
        {
            using var response = await branch.Process.Http.PostAsJsonAsync("/products", SaleInput.Example(product: "offline"));
            return response.StatusCode == HttpStatusCode.Created;
        }, TimeSpan.FromSeconds(90), "the branch API takes a sale while the broker is away", () => Task.FromResult(branch.Process.RecentLog));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(branch.Process, "/health/ready"));

        branchBrokerLink.Restore();
        await branch.Process.WaitUntilReadyAsync();
        await branch.CreateAsync(SaleInput.Example(product: "online"));

        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(["offline", "online"], (await headOffice.ListAsync(BranchId)).Select(p => p.Product));
        Assert.NotNull(await headOffice.GetAsync("it-early-" + _suffix, 1));

        // The branch's timeout scheduler, whose first start failed with the database away, is running: a started
        // clustered Quartz scheduler checks in to its state table.
        await Eventually.UntilAsync(
            async () => await branch.ScalarAsync<long>($"SELECT count(*) FROM public.qrtz_scheduler_state WHERE sched_name = '{BranchId}'") == 1,
            TimeSpan.FromSeconds(60), "the branch's Quartz scheduler checks in", () => Task.FromResult(branch.Process.RecentLog));
        var report = await InvariantChecker.CheckAsync(branch.Id, branch.Database, headOffice.Database);
        Assert.True(report.IsClean, report.ToString());
        Assert.Empty(await TestServers.Management.TakeMessagesAsync(VirtualHost, "head-office-product-submitted_error", 10));
    }

    public async Task InitializeAsync() => await TestServers.Management.CreateVirtualHostAsync(VirtualHost);

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        await TestDatabase.DropAsync($"sm_it_ho_{_suffix}");
        await TestDatabase.DropAsync($"sm_it_unreach_{_suffix}");
        await TestServers.Management.DeleteVirtualHostAsync(VirtualHost);
        await BranchAccounts.RevokeAsync(BranchId, VirtualHost);
    }

    private T Own<T>(T disposable) where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private static string ThroughLink(string database, LinkProxy link) =>
        new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionStringFor(database)) { Port = link.Port, Timeout = 5 }.ConnectionString;

    private static async Task<HttpStatusCode?> StatusAsync(ServiceProcess process, string path)
    {
        try
        {
            using var response = await process.Http.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
