using System.Text.Json;

namespace SynchroMesh.IntegrationTests;

/// <summary>
/// <c>RabbitMq__UseTls</c> against the local broker's AMQPS listener, whose certificate a development CA signed
/// (<c>deploy/servers.sh</c>): trusted through <c>RabbitMq__TlsCaCertificate</c>, refused without it.
/// </summary>
public sealed class When_a_branch_reaches_the_broker_over_TLS
{
    [Fact]
    public async Task Should_sync_over_an_encrypted_connection_that_the_private_CA_vouches_for()
    {
        await using var system = await SyncSystem.StartAsync(["tls"], branchSettings: Tls(withAuthority: true));
        var branch = system.Branch("tls");

        await branch.CreateAsync(SaleInput.Example(product: "sealed"));
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("sealed", Assert.Single(await system.HeadOffice.ListAsync(branch.Id)).Product);

        // The management API lists a connection once its statistics are in (every few seconds).
        IReadOnlyList<JsonElement> connections = [];
        await Eventually.UntilAsync(async () =>
        {
            connections = await TestServers.Management.ConnectionsAsync(new BranchTopology(branch.Id).User);
            return connections.Count > 0;
        }, TimeSpan.FromSeconds(30), "the branch connects to the broker");
        Assert.All(connections, c => Assert.True(c.GetProperty("ssl").GetBoolean(), c.ToString()));
    }

    [Fact]
    public async Task Should_not_connect_when_the_broker_s_certificate_chains_to_no_trusted_root()
    {
        await using var system = await SyncSystem.StartAsync([]);
        var id = system.BranchId("untrusting");
        var access = await system.ProvisionBranchAsync("untrusting");
        var database = $"sm_it_untrusting_{id[^8..]}";
        var settings = new Dictionary<string, string>(system.BrokerSettings())
        {
            ["Branch__Id"] = id,
            ["ConnectionStrings__Branch"] = TestDatabase.ConnectionStringFor(database),
            ["RabbitMq__Username"] = access["RabbitMq__Username"],
            ["RabbitMq__Password"] = access["RabbitMq__Password"],
        };
        foreach (var (key, value) in Tls(withAuthority: false))
        {
            settings[key] = value;
        }

        try
        {
            await using var process = new ServiceProcess("SynchroMesh.BranchOutbox", settings);
            process.Start();
            await Eventually.UntilAsync(
                () => Task.FromResult(process.RecentLog.Contains("certificate", StringComparison.OrdinalIgnoreCase)),
                TimeSpan.FromSeconds(60), "the branch without the CA logs a certificate failure", () => Task.FromResult(process.RecentLog));
            // The failure can be logged before the HTTP server listens: ask until it answers; it must say not ready.
            var readiness = await Eventually.ValueAsync(async () =>
            {
                try
                {
                    using var ready = await process.Http.GetAsync("/health/ready");
                    return ready.StatusCode.ToString();
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            }, TimeSpan.FromSeconds(30), "the branch's HTTP server answers");
            Assert.NotEqual(nameof(System.Net.HttpStatusCode.OK), readiness);
            Assert.Empty(await TestServers.Management.ConnectionsAsync(new BranchTopology(id).User));
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    private static Dictionary<string, string> Tls(bool withAuthority)
    {
        var settings = new Dictionary<string, string>
        {
            ["RabbitMq__UseTls"] = "true",
            ["RabbitMq__Port"] = TestServers.RabbitTlsPort.ToString(),
            ["RabbitMq__TlsServerName"] = "localhost",
        };
        if (withAuthority)
        {
            settings["RabbitMq__TlsCaCertificate"] = TestServers.RabbitTlsAuthority;
        }

        return settings;
    }
}
