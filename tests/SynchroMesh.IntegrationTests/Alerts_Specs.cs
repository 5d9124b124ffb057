using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SynchroMesh.IntegrationTests;

/// <summary>
/// The head office's alerts on the real services: a branch silent longer than the configured threshold, and a
/// watched certificate close to its end; and the heartbeat history behind the console's chart.
/// </summary>
public sealed class When_a_branch_goes_quiet_and_a_certificate_nears_its_end
{
    [Fact]
    public async Task Should_alert_on_both_keep_the_branch_s_history_and_clear_the_branch_s_alert_when_it_is_back()
    {
        var certificate = Path.Combine(Path.GetTempPath(), $"sm-alert-{Guid.NewGuid():N}.pem");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=synchromesh-alert-spec", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(3));
            await File.WriteAllTextAsync(certificate, made.ExportCertificatePem());
        }

        try
        {
            await using var system = await SyncSystem.StartAsync(["quiet"], broker: new BrokerOptions(BehindLinks: true),
                branchSettings: new Dictionary<string, string> { ["Sync__HeartbeatInterval"] = "00:00:01" },
                headOfficeSettings: new Dictionary<string, string>
                {
                    ["Alerts__OfflineAfter"] = "00:00:05",
                    ["Alerts__CertificateFiles__0"] = certificate,
                    ["Console__HistoryInterval"] = "00:00:01",
                });
            var branch = system.Branch("quiet");
            await branch.CreateAsync(SaleInput.Example(product: "before the silence"));
            await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));

            var online = await Eventually.ValueAsync(async () => (await system.HeadOffice.BranchesAsync()).SingleOrDefault(b => b.BranchId == branch.Id && b.Online),
                TimeSpan.FromSeconds(30), "the branch is online at the head office");
            var report = await system.HeadOffice.AlertsAsync();
            var expiring = Assert.Single(report.Alerts, a => a.Kind == "certificate-expiring");
            Assert.Equal(certificate, expiring.Subject);
            Assert.InRange(expiring.Value, 2.5, 3.0);
            Assert.DoesNotContain(report.Alerts, a => a.Subject == branch.Id);
            Assert.Equal((1, 1), (report.Branches, report.BranchesOnline));

            // Samples of the branch's backlog, at most one a second.
            var history = await Eventually.ValueAsync(async () =>
                {
                    var samples = await system.HeadOffice.Process.Http.GetFromJsonAsync<BranchSampleView[]>($"/branches/{branch.Id}/history?hours=1");
                    return samples!.Length >= 3 ? samples : null;
                }, TimeSpan.FromSeconds(30), "the history holds three samples");
            Assert.All(history.Zip(history.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= TimeSpan.FromSeconds(0.9), $"{pair.First.At:O} then {pair.Second.At:O}"));

            // Silent longer than the threshold: the alert fires, with how long.
            branch.Link.Cut();
            var offline = await Eventually.ValueAsync(async () =>
                    (await system.HeadOffice.AlertsAsync()).Alerts.SingleOrDefault(a => a.Kind == "branch-offline" && a.Subject == branch.Id),
                TimeSpan.FromSeconds(60), "the branch-offline alert fires");
            Assert.True(offline.Value >= 5, $"silent {offline.Value} s (whole seconds)");
            Assert.Equal(5, offline.Threshold);
            Assert.NotNull(offline.Since);

            // Back: the alert clears, and the branch is online since now, not since its first heartbeat.
            branch.Link.Restore();
            await Eventually.UntilAsync(async () => !(await system.HeadOffice.AlertsAsync()).Alerts.Any(a => a.Subject == branch.Id),
                TimeSpan.FromSeconds(90), "the branch's alert clears once it is back");
            var back = (await system.HeadOffice.BranchesAsync()).Single(b => b.BranchId == branch.Id);
            Assert.True(back.Online);
            Assert.True(back.Since > online.Since, $"online since {back.Since:O}, before the cut since {online.Since:O}");
        }
        finally
        {
            File.Delete(certificate);
        }
    }
}

public sealed class When_the_heartbeat_history_outlives_its_retention
{
    [Fact]
    public async Task Should_drop_the_samples_older_than_the_retention_and_keep_the_rest()
    {
        await using var system = await SyncSystem.StartAsync([], headOfficeSettings: new Dictionary<string, string>
        {
            ["Console__HistoryRetention"] = "02:00:00",
        });
        await system.HeadOffice.ExecuteAsync("""
            INSERT INTO head_office.branch_heartbeat_history (branch_id, received_at, backlog, lag_seconds)
            VALUES ('old', now() - interval '3 hours', 5, 1), ('recent', now() - interval '1 hour', 7, 2)
            """);

        // The head office prunes once its database is ready, then every few minutes: a restart shows the first.
        await system.HeadOffice.Process.StopAsync();
        await system.HeadOffice.Process.StartAndWaitUntilReadyAsync();
        await Eventually.UntilAsync(async () => await SamplesAsync(system, "old") == 0, TimeSpan.FromSeconds(30), "the 3-hour-old sample is pruned");
        Assert.Equal(1, await SamplesAsync(system, "recent"));
    }

    private static Task<long> SamplesAsync(SyncSystem system, string branchId) =>
        system.HeadOffice.ScalarAsync<long>("SELECT count(*) FROM head_office.branch_heartbeat_history WHERE branch_id = @branch", ("branch", branchId));
}
