using SynchroMesh.HeadOfficeIngest.Alerts;
using SynchroMesh.HeadOfficeIngest.Data;
using SynchroMesh.HeadOfficeIngest.DeadLetters;

namespace SynchroMesh.HeadOfficeIngest.Tests;

public sealed class When_the_head_office_decides_which_alerts_fire
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static readonly AlertOptions Options = new()
    {
        OfflineAfter = TimeSpan.FromMinutes(15),
        LagAbove = TimeSpan.FromMinutes(10),
        BacklogAbove = 1000,
        CertificateExpiresWithin = TimeSpan.FromDays(14),
    };

    private static BranchStatus Branch(bool online = true, DateTimeOffset? since = null, long? backlog = 0, double? lagSeconds = 0, DateTimeOffset? lastReceivedAt = null) =>
        new("north", 10, 0, lastReceivedAt, null, since, online, since, backlog, null, lagSeconds, 0);

    [Fact]
    public void Should_raise_nothing_for_a_branch_within_every_threshold()
    {
        Assert.Empty(AlertRules.ForBranch(Branch(backlog: 1000, lagSeconds: 600), Options, Now));
        Assert.Empty(AlertRules.ForBranch(Branch(online: false, since: Now.AddMinutes(-15)), Options, Now));
    }

    [Fact]
    public void Should_raise_offline_once_silent_longer_than_the_threshold_counting_from_its_last_word()
    {
        var alert = Assert.Single(AlertRules.ForBranch(Branch(online: false, since: Now.AddMinutes(-16)), Options, Now));
        Assert.Equal((AlertKinds.BranchOffline, "north", 960.0, 900.0), (alert.Kind, alert.Subject, alert.Value, alert.Threshold));
        Assert.Equal("north offline for 16 minutes", alert.Message);
        Assert.Equal(Now.AddMinutes(-16), alert.Since);

        // Never heard, known by its rows: silent since its last row was stored.
        var byRows = Assert.Single(AlertRules.ForBranch(Branch(online: false, since: null, lastReceivedAt: Now.AddHours(-3)), Options, Now));
        Assert.Equal(AlertKinds.BranchOffline, byRows.Kind);
        Assert.Equal("north offline for 3 hours", byRows.Message);
    }

    [Fact]
    public void Should_raise_lag_and_backlog_above_their_thresholds_each_with_its_figure()
    {
        var alerts = AlertRules.ForBranch(Branch(backlog: 1001, lagSeconds: 601), Options, Now).ToList();
        Assert.Equal([AlertKinds.BranchLag, AlertKinds.BranchBacklog], alerts.Select(a => a.Kind));
        Assert.Equal((601.0, 600.0), (alerts[0].Value, alerts[0].Threshold));
        Assert.Equal((1001.0, 1000.0), (alerts[1].Value, alerts[1].Threshold));
        Assert.Equal("north has 1,001 rows waiting to reach the head office", alerts[1].Message);
    }

    [Fact]
    public void Should_raise_dead_messages_for_every_error_queue_holding_any()
    {
        Assert.Empty(AlertRules.ForQueue(new DeadLetterQueue("q_error", "q", 0)));
        var alert = Assert.Single(AlertRules.ForQueue(new DeadLetterQueue("q_error", "q", 1)));
        Assert.Equal((AlertKinds.DeadMessages, "q_error", "1 message in q_error"), (alert.Kind, alert.Subject, alert.Message));
    }

    [Fact]
    public void Should_raise_a_certificate_expiring_within_the_threshold_or_expired()
    {
        Assert.Empty(AlertRules.ForCertificate("ca.pem", Now.AddDays(15), Options, Now));
        var soon = Assert.Single(AlertRules.ForCertificate("ca.pem", Now.AddDays(3), Options, Now));
        Assert.Equal((AlertKinds.CertificateExpiring, 3.0), (soon.Kind, soon.Value));
        Assert.Contains("expires in 3 days", soon.Message);
        var gone = Assert.Single(AlertRules.ForCertificate("ca.pem", Now.AddDays(-1), Options, Now));
        Assert.Contains("expired on 2026-12-04", gone.Message);
    }
}
